import { createElement } from 'lwc';
import DealInspection from 'c/dealInspection';
import { getRecord, createRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';

const dealFixture = require('./data/getRecord.json');
const inspectionsFixture = require('./data/getRelatedListRecords.json');

const DEAL_ID = dealFixture.id;
const TOAST = 'lightning__showtoast';
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount({ deal = dealFixture, inspections = inspectionsFixture } = {}) {
    const element = createElement('c-deal-inspection', { is: DealInspection });
    element.recordId = DEAL_ID;
    document.body.appendChild(element);
    getRecord.emit(deal);
    getRelatedListRecords.emit(inspections);
    await flush();
    return element;
}
const $ = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
function choose(element, values) {
    $(element, 'questions').dispatchEvent(new CustomEvent('change', { detail: { value: values } }));
}
function answer(element, value) {
    $(element, 'answer').dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

describe('c-deal-inspection', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    describe('getRecord @wire data', () => {
        it("When the deal is shown, then the gate's questions come first (missing milestones first), the standard ones after, without repeats", async () => {
            const element = await mount();
            const options = $(element, 'questions').options.map((o) => o.value);
            expect(options.slice(0, 3)).toEqual([
                'Which metric will they judge this project by?',
                "What are the customer's key business metrics for the next 12 months?",
                'What did the customer agree to do next?',
            ]);
            expect(options.filter((q) => q === "What are the customer's key business metrics for the next 12 months?")).toHaveLength(1);
            expect(options).toContain('Did we truly advance this deal in the last meeting, or just have a good conversation?');
            expect($(element, 'last-inspected').textContent).toBe('Last inspected 2026-11-02');
            await expect(element).toBeAccessible();
        });

        it('When past inspections exist, then each shows its date, inspector, questions and answer', async () => {
            const element = await mount();
            expect(getRelatedListRecords.getLastConfig()).toMatchObject({ relatedListId: 'Deal_Inspections__r', sortBy: ['-Deal_Inspection__c.Inspected_At__c'] });
            const items = element.shadowRoot.querySelectorAll('[data-id="inspection"]');
            expect(items).toHaveLength(1);
            expect(items[0].querySelector('[data-id="when"]').textContent).toBe('2026-11-02');
            expect(items[0].querySelector('[data-id="by"]').textContent).toBe('Mara Manager');
            expect([...items[0].querySelectorAll('li')].map((li) => li.textContent)).toEqual(['Who is the economic buyer, and have we met them?', 'What is the agreed next step, and when is it?']);
            expect(items[0].querySelector('[data-id="answer-text"]').textContent).toBe('The CFO; we meet her on the 14th.');
        });

        it('When the deal was never inspected, then it says so', async () => {
            const never = { ...dealFixture, fields: { ...dealFixture.fields, Last_Inspected__c: { value: null, displayValue: null } } };
            const element = await mount({ deal: never, inspections: { records: [], count: 0 } });
            expect($(element, 'last-inspected').textContent).toBe('Not inspected yet');
            expect($(element, 'no-history').textContent).toBe('No inspections yet.');
        });
    });

    describe('marking the deal inspected', () => {
        it('When questions are chosen and the answer noted, then one Deal_Inspection__c is created with them, a toast shows and the deal is refreshed', async () => {
            createRecord.mockResolvedValue({ id: 'a0H000000000002AAA' });
            const element = await mount();
            const toast = jest.fn();
            element.addEventListener(TOAST, toast);
            choose(element, ['Who is the economic buyer, and have we met them?', 'What are their decision criteria beyond price?']);
            answer(element, '  The COO signs; criteria: uptime and service.  ');
            $(element, 'mark').click();
            await flush();
            expect(createRecord).toHaveBeenCalledWith({
                apiName: 'Deal_Inspection__c',
                fields: {
                    Opportunity__c: DEAL_ID,
                    Questions_Asked__c: 'Who is the economic buyer, and have we met them?\nWhat are their decision criteria beyond price?',
                    Answer__c: 'The COO signs; criteria: uptime and service.',
                },
            });
            expect(toast.mock.calls[0][0].detail).toMatchObject({ title: 'Deal marked inspected', variant: 'success' });
            expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: DEAL_ID }]);
            expect($(element, 'answer').value).toBe('');
        });

        it('When no question is chosen, or no answer is noted, then nothing is saved and the card says what is missing', async () => {
            const element = await mount();
            $(element, 'mark').click();
            await flush();
            expect($(element, 'problem').textContent).toBe('Choose at least one question you asked.');
            choose(element, ['Who is the economic buyer, and have we met them?']);
            answer(element, '   ');
            $(element, 'mark').click();
            await flush();
            expect($(element, 'problem').textContent).toBe('Note the answer before marking the deal inspected.');
            expect(createRecord).not.toHaveBeenCalled();
            await expect(element).toBeAccessible();
        });

        it('When the save fails, then the error is shown and the choices are kept', async () => {
            createRecord.mockRejectedValue({ body: { message: 'Opportunity: no opportunity 006x' } });
            const element = await mount();
            choose(element, ['Who is the economic buyer, and have we met them?']);
            answer(element, 'The CFO.');
            $(element, 'mark').click();
            await flush();
            expect($(element, 'problem').textContent).toBe('The inspection was not saved: Opportunity: no opportunity 006x');
            expect($(element, 'questions').value).toEqual(['Who is the economic buyer, and have we met them?']);
        });
    });

    describe('getRecord @wire error', () => {
        it('When the deal cannot be read, then the error panel shows', async () => {
            const element = createElement('c-deal-inspection', { is: DealInspection });
            element.recordId = DEAL_ID;
            document.body.appendChild(element);
            getRecord.error();
            await flush();
            expect(element.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
        });
    });
});
