import { createElement } from 'lwc';
import GateDesigner from 'c/gateDesigner';
import { describeRule } from 'c/gateRules';
import { graphql } from 'lightning/graphql';
import { createRecord, deleteRecord, updateRecord } from 'lightning/uiRecordApi';

const gatesFixture = require('./data/graphql.json');

const TOAST = 'lightning__showtoast';
const refresh = jest.fn().mockResolvedValue(undefined);
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(data = gatesFixture) {
    const element = createElement('c-gate-designer', { is: GateDesigner });
    document.body.appendChild(element);
    graphql.emit(data, undefined, refresh);
    await flush();
    return element;
}

const texts = (root, selector) => [...root.querySelectorAll(selector)].map((n) => n.textContent.trim());
const editor = (element) => element.shadowRoot.querySelector('c-gate-milestone-editor');
const field = (ed, name) => ed.shadowRoot.querySelector(`[data-field="${name}"]`);
// As in the browser, the field holds what was typed when its change event fires.
function change(ed, name, detail) {
    const input = field(ed, name);
    if (typeof detail.value === 'string') input.value = detail.value;
    input.dispatchEvent(new CustomEvent('change', { detail }));
}
// The messages put on a field (setCustomValidity), in order.
function watchField(ed, name) {
    const input = field(ed, name);
    const messages = [];
    input.setCustomValidity = (message) => messages.push(message);
    input.reportValidity = () => true;
    return messages;
}
async function openEditor(element, milestoneId) {
    element.shadowRoot.querySelector(`li.milestone[data-id="${milestoneId}"] [data-id="edit"]`).click();
    await flush();
    return editor(element);
}

describe('c-gate-designer', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    describe('graphql @wire data', () => {
        it('When gates load, then they are grouped per sales process in stage order with inactive and error marks', async () => {
            const element = await mount();
            const root = element.shadowRoot;
            expect([...root.querySelectorAll('section.process')].map((s) => s.dataset.process)).toEqual(['Standard', 'Enterprise']);
            expect(texts(root, '.gate-heading')).toEqual(['2. Qualification', '3. Needs Analysis', '1. Discovery']);
            const needsAnalysis = root.querySelector('article[data-gate-id="a005e00000GaTe2AAV"]');
            expect(needsAnalysis.querySelector('.inactive').label).toBe('Inactive');
            expect(needsAnalysis.querySelector('.no-milestones')).not.toBeNull();
            expect(root.querySelector('article[data-gate-id="a005e00000GaTe1AAV"] .inactive')).toBeNull();
            expect(root.querySelector('article[data-gate-id="a005e00000GaTe3AAV"] .gate-error').textContent).toBe(
                'Configuration error: Stage Discovery is not in the Enterprise sales process',
            );
        });

        it('When a milestone has stats, then its rule reads in plain words with share, win rates, lift and sample size', async () => {
            const element = await mount();
            const li = element.shadowRoot.querySelector('li.milestone[data-id="a025e00000MiLe1AAV"]');
            expect(li.querySelector('.milestone-name').textContent).toBe('Buying committee mapped');
            expect(li.querySelector('.milestone-rule').textContent).toBe(
                'At least 2 contact roles among: Economic Buyer, Decision Maker, Influencer',
            );
            expect(li.querySelector('.milestone-requirement').textContent).toBe('Required · weight 2');
            expect(li.querySelector('.share-met').value).toBeCloseTo(0.385);
            expect(li.querySelector('.win-rate-met').value).toBeCloseTo(0.412);
            expect(li.querySelector('.win-rate-missed').value).toBeCloseTo(0.189);
            expect(li.querySelector('.lift').textContent).toBe('2.18× over 214 closed deals');
            expect(li.querySelector('.predictive').label).toBe('Predicts wins (95% intervals separate)');
        });

        it('When a milestone has no stats and a configuration error, then both are said', async () => {
            const element = await mount();
            const li = element.shadowRoot.querySelector('li.milestone[data-id="a025e00000MiLe2AAV"]');
            expect(li.querySelector('.milestone-rule').textContent).toBe(
                'At least 2 meaningful conversations (meetings, or connected calls of 120+ seconds) in the last 30 days',
            );
            expect(li.querySelector('.milestone-requirement').textContent).toBe('Optional · weight 1');
            expect(li.querySelector('.no-stats')).not.toBeNull();
            expect(li.querySelector('.lift')).toBeNull();
            expect(li.querySelector('.milestone-error').textContent).toContain('above the longest call');
        });

        it('When gates show, then the page is accessible', async () => {
            const element = await mount();
            await expect(element).toBeAccessible();
        });
    });

    describe('states', () => {
        it('When no gates exist, then the empty state shows', async () => {
            const element = await mount({ uiapi: { query: { Stage_Gate__c: { edges: [] } } } });
            expect(element.shadowRoot.querySelector('.empty-state')).not.toBeNull();
        });

        it('When the query fails, then the error panel shows the GraphQL message', async () => {
            const element = createElement('c-gate-designer', { is: GateDesigner });
            document.body.appendChild(element);
            graphql.emitErrors([{ message: 'No such column Stage_Order__c on Stage_Gate__c' }]);
            await flush();
            const panel = element.shadowRoot.querySelector('c-error-panel');
            expect(texts(panel.shadowRoot, '.error-message')).toEqual(['No such column Stage_Order__c on Stage_Gate__c']);
            await expect(element).toBeAccessible();
        });
    });

    describe('edit a milestone', () => {
        it('When the editor opens, then it holds the milestone values and only the fields its rule kind uses', async () => {
            const element = await mount();
            const ed = await openEditor(element, 'a025e00000MiLe2AAV');
            expect(ed.milestone.Rule_Kind__c).toBe('Meaningful_Conversation');
            expect(ed.milestone.Lift__c).toBeUndefined();
            expect(field(ed, 'Rule_Window_Days__c').value).toBe(30);
            expect(field(ed, 'Rule_Min_Call_Seconds__c').value).toBe(120);
            expect(field(ed, 'Milestone_Key__c').readOnly).toBe(true);
            expect(field(ed, 'Rule_Field__c')).toBeNull();
            expect(field(ed, 'Rule_Roles__c')).toBeNull();
            expect(field(ed, 'Rule_Kind__c').options).toHaveLength(14);

            change(ed, 'Rule_Kind__c', { value: 'Field_At_Least' });
            await flush();
            expect(field(ed, 'Rule_Field__c')).not.toBeNull();
            expect(field(ed, 'Rule_Value__c')).not.toBeNull();
            expect(field(ed, 'Rule_Window_Days__c')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('When the window is 0, then the validation message shows and updateRecord is not called', async () => {
            const element = await mount();
            const ed = await openEditor(element, 'a025e00000MiLe2AAV');
            change(ed, 'Rule_Window_Days__c', { value: '0' });
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();
            expect(updateRecord).not.toHaveBeenCalled();
            expect(texts(ed.shadowRoot, '.validation-error')).toEqual([
                'Look-back window must be a whole number of days greater than 0.',
            ]);
        });

        it.each([
            ['Rule_Min_Count__c', { value: '0' }, 'Minimum count must be a whole number of 1 or more.'],
            ['Weight__c', { value: '-1' }, 'Weight must be a number from 0 to 100.'],
            ['Weight__c', { value: 'abc' }, 'Weight must be a number from 0 to 100.'],
            ['Weight__c', { value: '2b' }, 'Weight must be a number from 0 to 100.'],
            ['Weight__c', { value: '' }, 'Weight must be a number from 0 to 100.'],
            ['Name', { value: '  ' }, 'Give the milestone a name.'],
        ])('When %s is %j, then "%s" shows and nothing is saved', async (name, detail, message) => {
            const element = await mount();
            const ed = await openEditor(element, 'a025e00000MiLe2AAV');
            change(ed, name, detail);
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();
            expect(updateRecord).not.toHaveBeenCalled();
            expect(texts(ed.shadowRoot, '.validation-error')).toEqual([message]);
        });

        it('When a Field_* kind has no field name, or Composite has broken JSON, then each is reported', async () => {
            const element = await mount();
            const ed = await openEditor(element, 'a025e00000MiLe1AAV');
            change(ed, 'Rule_Kind__c', { value: 'Field_Equals' });
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();
            expect(texts(ed.shadowRoot, '.validation-error')).toEqual([
                'Enter the Opportunity field API name this rule reads.',
                'Enter the value to compare with.',
            ]);
            change(ed, 'Rule_Kind__c', { value: 'Composite' });
            await flush();
            change(ed, 'Rule_JSON__c', { value: '{"all": [' });
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();
            expect(texts(ed.shadowRoot, '.validation-error')).toEqual([
                'The rule JSON is not valid JSON. Check brackets, quotes and commas.',
            ]);
            change(ed, 'Rule_Kind__c', { value: 'Contact_Roles' });
            await flush();
            change(ed, 'Rule_Roles__c', { value: '' });
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();
            expect(texts(ed.shadowRoot, '.validation-error')).toEqual([
                'Enter at least one contact role (separate roles with semicolons).',
            ]);
            expect(updateRecord).not.toHaveBeenCalled();
        });

        it('When a valid edit is saved, then updateRecord gets the values, unused parameters are cleared and the list refreshes', async () => {
            const element = await mount();
            const toast = jest.fn();
            element.addEventListener(TOAST, toast);
            const ed = await openEditor(element, 'a025e00000MiLe2AAV');
            change(ed, 'Rule_Kind__c', { value: 'Activity' });
            await flush();
            change(ed, 'Rule_Window_Days__c', { value: '14' });
            change(ed, 'Rule_Activity_Types__c', { value: ['Call', 'Meeting'] });
            change(ed, 'Required__c', { checked: true });
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();

            expect(updateRecord).toHaveBeenCalledTimes(1);
            const { fields } = updateRecord.mock.calls[0][0];
            expect(fields).toMatchObject({
                Id: 'a025e00000MiLe2AAV',
                Name: 'Meaningful conversations held',
                Rule_Kind__c: 'Activity',
                Rule_Min_Count__c: 2,
                Rule_Window_Days__c: 14,
                Rule_Activity_Types__c: 'Call;Meeting',
                Rule_Min_Call_Seconds__c: null,
                Rule_Field__c: null,
                Required__c: true,
            });
            expect(fields).not.toHaveProperty('Lift__c');
            expect(fields).not.toHaveProperty('Milestone_Key__c');
            expect(toast.mock.calls[0][0].detail.variant).toBe('success');
            expect(refresh).toHaveBeenCalledTimes(1);
            expect(editor(element)).toBeNull();
        });
    });

    describe('checked as typed, refused on the field', () => {
        it.each(['abc', '2b', '2000000000'])('When the weight is typed as %s, then the weight field says what is wrong at once and Save sends nothing', async (typed) => {
            const element = await mount();
            const ed = await openEditor(element, 'a025e00000MiLe2AAV');
            const messages = watchField(ed, 'Weight__c');
            change(ed, 'Weight__c', { value: typed });
            await flush();
            expect(messages.at(-1)).toBe('Weight must be a number from 0 to 100.');
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();
            expect(updateRecord).not.toHaveBeenCalled();
            expect(messages.at(-1)).toBe('Weight must be a number from 0 to 100.');
            change(ed, 'Weight__c', { value: '2.5' });
            expect(messages.at(-1)).toBe('');
        });

        it('When the companion refuses a save, then its message shows on the field it names, in words, and the editor stays open', async () => {
            updateRecord.mockRejectedValueOnce({
                status: 400,
                body: {
                    enhancedErrorType: 'RecordError',
                    output: {
                        errors: [],
                        fieldErrors: { Rule_JSON__c: [{ field: 'Rule_JSON__c', message: 'processes[0].stages[1].gate.milestones[0].rule.rules: must combine at least one rule' }] },
                    },
                },
            });
            const element = await mount();
            const toast = jest.fn();
            element.addEventListener(TOAST, toast);
            const ed = await openEditor(element, 'a025e00000MiLe2AAV');
            change(ed, 'Rule_Kind__c', { value: 'Composite' });
            await flush();
            const messages = watchField(ed, 'Rule_JSON__c');
            change(ed, 'Rule_JSON__c', { value: '{"kind":"all","rules":[]}' });
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();
            await flush();
            expect(messages.at(-1)).toBe('must combine at least one rule');
            expect(texts(ed.shadowRoot, '.validation-error')[0]).toMatch(/: must combine at least one rule$/);
            expect(texts(ed.shadowRoot, '.validation-error')[0]).not.toMatch(/processes\[/);
            expect(toast.mock.calls.at(-1)[0].detail.variant).toBe('error');
            expect(editor(element)).not.toBeNull();
        });
    });

    describe('words, not placeholders', () => {
        it('When a conversation rule has no call length of its own, then it reads as the playbook minimum, not "—+ seconds"', () => {
            const text = describeRule({ Rule_Kind__c: 'Meaningful_Conversation', Rule_Min_Count__c: 1, Rule_Window_Days__c: 30, Rule_Min_Call_Seconds__c: null });
            expect(text).toBe('At least 1 meaningful conversations (meetings, or connected calls of the playbook’s minimum length) in the last 30 days');
            expect(describeRule({ Rule_Kind__c: 'Meaningful_Conversation', Rule_Min_Count__c: 1, Rule_Window_Days__c: 30, Rule_Min_Call_Seconds__c: 90 })).toContain('90+ seconds');
        });

        it('When a milestone has no lift yet, then the card says it is not judged yet instead of "—×"', async () => {
            const data = JSON.parse(JSON.stringify(gatesFixture));
            const node = data.uiapi.query.Stage_Gate__c.edges[0].node.Gate_Milestones__r.edges[0].node;
            node.Lift__c = { value: null };
            node.Sample_Size__c = { value: 4 };
            node.Win_Rate_Met__c = { value: null };
            node.Win_Rate_Missed__c = { value: null };
            let element = await mount(data);
            const lift = () => element.shadowRoot.querySelector(`li.milestone[data-id="${node.Id}"] .lift`).textContent;
            expect(lift()).toBe('not judged yet: 4 closed deals');
            expect(lift()).not.toContain('—');
            document.body.removeChild(element);
            node.Win_Rate_Met__c = { value: 63 };
            element = await mount(data);
            expect(lift()).toBe('nothing to compare: all 4 closed deals had it');
        });
    });

    describe('saved values and removal', () => {
        it('When an edit is saved, then the card shows the new values at once, before the gates are read again', async () => {
            updateRecord.mockResolvedValueOnce({});
            const neverAnswers = jest.fn(() => new Promise(() => {}));
            const element = createElement('c-gate-designer', { is: GateDesigner });
            document.body.appendChild(element);
            graphql.emit(gatesFixture, undefined, neverAnswers);
            await flush();
            const ed = await openEditor(element, 'a025e00000MiLe2AAV');
            change(ed, 'Name', { value: 'Two real conversations' });
            change(ed, 'Weight__c', { value: '3' });
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();
            await flush();
            const li = element.shadowRoot.querySelector('li.milestone[data-id="a025e00000MiLe2AAV"]');
            expect(li.querySelector('.milestone-name').textContent).toBe('Two real conversations');
            expect(li.querySelector('.milestone-requirement').textContent).toMatch(/3/);
            expect(neverAnswers).toHaveBeenCalled();
        });

        it('When a milestone is removed and the removal confirmed, then deleteRecord gets its id and it leaves the gate', async () => {
            deleteRecord.mockResolvedValueOnce(undefined);
            const element = await mount();
            const root = element.shadowRoot;
            root.querySelector('li.milestone[data-id="a025e00000MiLe2AAV"] [data-id="remove"]').click();
            await flush();
            expect(root.querySelector('[data-id="remove-confirm"]').textContent).toMatch(/Remove “Meaningful conversations held” from this gate\?/);
            root.querySelector('[data-id="keep"]').click();
            await flush();
            expect(root.querySelector('[data-id="remove-confirm"]')).toBeNull();
            expect(deleteRecord).not.toHaveBeenCalled();
            root.querySelector('li.milestone[data-id="a025e00000MiLe2AAV"] [data-id="remove"]').click();
            await flush();
            root.querySelector('[data-id="confirm-remove"]').click();
            await flush();
            expect(deleteRecord).toHaveBeenCalledWith('a025e00000MiLe2AAV');
            expect(root.querySelector('li.milestone[data-id="a025e00000MiLe2AAV"]')).toBeNull();
        });

        it('When a stage is closed, then it offers no milestone to add and says why', async () => {
            const data = JSON.parse(JSON.stringify(gatesFixture));
            const gate = data.uiapi.query.Stage_Gate__c.edges[1].node;
            gate.Is_Closed__c = { value: true };
            const element = await mount(data);
            const article = element.shadowRoot.querySelector(`article[data-gate-id="${gate.Id}"]`);
            expect(article.querySelector('[data-id="add"]')).toBeNull();
            expect(article.querySelector('[data-id="closed-stage"]').textContent).toMatch(/closed stage has no exit gate/);
        });
    });

    describe('add a milestone', () => {
        it('When an admin adds a milestone to a gate, then createRecord gets the gate, key and rule', async () => {
            createRecord.mockResolvedValue({ id: 'a025e00000NeWmIAAV' });
            const element = await mount();
            element.shadowRoot.querySelector('article[data-gate-id="a005e00000GaTe2AAV"] [data-id="add"]').click();
            await flush();
            const ed = editor(element);
            expect(ed.gateId).toBe('a005e00000GaTe2AAV');
            change(ed, 'Name', { value: 'Next step set' });
            change(ed, 'Milestone_Key__c', { value: 'next_step_set' });
            change(ed, 'Rule_Kind__c', { value: 'Next_Step_Set' });
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();

            expect(createRecord).toHaveBeenCalledTimes(1);
            const input = createRecord.mock.calls[0][0];
            expect(input.apiName).toBe('Gate_Milestone__c');
            expect(input.fields).toMatchObject({
                Stage_Gate__c: 'a005e00000GaTe2AAV',
                Milestone_Key__c: 'next_step_set',
                Name: 'Next step set',
                Rule_Kind__c: 'Next_Step_Set',
                Required__c: true,
                Weight__c: 1,
                Rule_Window_Days__c: null,
            });
        });

        it('When a new milestone has no key, then it is not created', async () => {
            const element = await mount();
            element.shadowRoot.querySelector('article[data-gate-id="a005e00000GaTe2AAV"] [data-id="add"]').click();
            await flush();
            const ed = editor(element);
            change(ed, 'Name', { value: 'Next step set' });
            change(ed, 'Rule_Kind__c', { value: 'Next_Step_Set' });
            ed.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();
            expect(createRecord).not.toHaveBeenCalled();
            expect(texts(ed.shadowRoot, '.validation-error')[0]).toMatch(/Give the milestone a key/);
        });
    });
});
