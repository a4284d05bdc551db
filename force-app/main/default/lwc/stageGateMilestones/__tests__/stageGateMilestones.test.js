import { createElement } from 'lwc';
import StageGateMilestones from 'c/stageGateMilestones';
import { getRecord, createRecord } from 'lightning/uiRecordApi';
const ShowToastEventName = 'lightning__showtoast';

const recordFixture = require('./data/getRecord.json');
const checklistFixture = require('./data/checklist.json');

const OPPORTUNITY_ID = recordFixture.id;

// The Opportunity as getRecord returns it, with the checklist field set to `checklist` (a string or an object).
function oppRecord(checklist, overrides = {}) {
    const record = JSON.parse(JSON.stringify(recordFixture));
    const value = checklist === null || typeof checklist === 'string' ? checklist : JSON.stringify(checklist);
    record.fields.Gate_Checklist__c = { value, displayValue: null };
    Object.entries(overrides).forEach(([name, v]) => {
        record.fields[name] = { value: v, displayValue: null };
    });
    return record;
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount() {
    const element = createElement('c-stage-gate-milestones', { is: StageGateMilestones });
    element.recordId = OPPORTUNITY_ID;
    document.body.appendChild(element);
    return element;
}

const items = (element) => [...element.shadowRoot.querySelectorAll('c-gate-milestone-item')];
const itemByKey = (element, key) => items(element).find((item) => item.milestone.key === key);

describe('c-stage-gate-milestones', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    describe('getRecord @wire data', () => {
        it('When the deal has a checklist, then the gate status, score, summary, path, flags and next best action show', async () => {
            const element = mount();
            getRecord.emit(oppRecord(checklistFixture));
            await flush();

            const root = element.shadowRoot;
            const config = getRecord.getLastConfig();
            expect(config.recordId).toBe(OPPORTUNITY_ID);
            expect(config.fields).toEqual([{ objectApiName: 'Opportunity', fieldApiName: 'Gate_Checklist__c' }]);
            expect(config.optionalFields).toHaveLength(13);
            expect(root.querySelector('[data-id="status"]').label).toBe('At risk');
            expect(root.querySelector('[data-id="status"]').className).toContain('slds-theme_error');
            expect(root.querySelector('[data-id="score"]').value).toBeCloseTo(0.45);
            expect(root.querySelector('.met-summary').textContent).toBe('1 of 3 required milestones met');
            expect(root.querySelector('lightning-relative-date-time').value).toBe(Date.parse('2026-11-20T06:00:00.000Z'));

            const indicator = root.querySelector('lightning-progress-indicator');
            expect(indicator.currentStep).toBe('Needs Analysis');
            expect(indicator.type).toBe('path');
            expect(indicator.hasError).toBe(true);
            const steps = [...root.querySelectorAll('lightning-progress-step')];
            expect(steps.map((s) => s.value)).toEqual(['Prospecting', 'Qualification', 'Needs Analysis', 'Proposal/Price Quote']);
            expect(steps[1].label).toBe('Qualification (gate skipped)');
            expect(root.querySelector('.path-summary').textContent).toContain('Qualification: left with its gate unmet');

            const flags = [...root.querySelectorAll('.risk-flag')].map((b) => b.label);
            expect(flags).toEqual(['Single-threaded', 'Stalled in stage']);
            expect(root.querySelector('.next-best-action').textContent).toBe(checklistFixture.nextBestAction);
            const facts = [...root.querySelectorAll('.fact-value')].map((d) => d.textContent);
            expect(facts).toEqual(['1', 'Yes', '41', 'No']);
        });

        it('When the deal has a checklist, then each milestone shows its status, evidence links and guidance only when missing', async () => {
            const element = mount();
            getRecord.emit(oppRecord(checklistFixture));
            await flush();

            expect(items(element).map((i) => i.milestone.key)).toEqual(checklistFixture.milestones.map((m) => m.key));
            const met = itemByKey(element, 'economic_buyer_engaged').shadowRoot;
            expect(met.querySelector('[data-id="milestone-status"]').label).toBe('Met');
            expect(met.querySelector('.requirement').textContent).toBe('Required · weight 3');
            const link = met.querySelector('lightning-formatted-url');
            expect(link.value).toBe('/lightning/r/00U5e00000AbCdEEAV/view');
            expect(link.label).toBe('Meeting with Dana Ruiz (VP Finance)');
            expect(met.querySelector('lightning-formatted-date-time').value).toBe('2026-11-12');
            expect(met.querySelector('.evidence-label').textContent).toBe('NextStep: Security review on 3 March');
            expect(met.querySelector('.guidance')).toBeNull();
            expect(met.querySelector('[data-id="attest"]')).toBeNull();

            const attested = itemByKey(element, 'decision_criteria_clarified').shadowRoot;
            expect(attested.querySelector('[data-id="milestone-status"]').label).toBe('Attested');
            expect(attested.querySelector('[data-id="attest"]')).toBeNull();

            const missing = itemByKey(element, 'key_metrics_understood').shadowRoot;
            expect(missing.querySelector('[data-id="milestone-status"]').label).toBe('Missing');
            expect(missing.querySelector('.guidance').textContent).toBe(checklistFixture.milestones[2].guidance);
            expect(missing.querySelector('.no-evidence')).not.toBeNull();
            expect([...missing.querySelectorAll('.coaching-question')].map((q) => q.textContent)).toEqual(
                checklistFixture.milestones[2].coachingQuestions,
            );
            expect(missing.querySelector('details.coaching').open).toBe(false);
            expect(missing.querySelector('[data-id="attest"]')).not.toBeNull();

            const notAttestable = itemByKey(element, 'next_step_set').shadowRoot;
            expect(notAttestable.querySelector('[data-id="attest"]')).toBeNull();
            expect(notAttestable.querySelector('details.coaching')).toBeNull();
        });

        it('When the owned fields are empty, then the card falls back to the checklist for status, score and flags', async () => {
            const element = mount();
            getRecord.emit(
                oppRecord(checklistFixture, {
                    Gate_Status__c: null,
                    Gate_Score__c: null,
                    Deal_Risk_Flags__c: null,
                    Gate_Milestones_Met__c: null,
                    Gate_Milestones_Required__c: null,
                }),
            );
            await flush();
            const root = element.shadowRoot;
            expect(root.querySelector('[data-id="status"]').label).toBe('At risk');
            expect(root.querySelector('[data-id="score"]').value).toBeCloseTo(0.45);
            expect([...root.querySelectorAll('.risk-flag')].map((b) => b.label)).toEqual(['Single-threaded', 'Stalled in stage']);
        });

        it('When the checklist carries a win probability, then one modest line shows it with the two largest factors; without one, nothing', async () => {
            const win = { percent: 62, stageBaseline: 45, factors: [{ key: 'stakeholders', label: 'People engaged (30 days)', value: 4, contribution: 9.5 }, { key: 'executive', label: 'Executive engaged', value: 1, contribution: 6 }, { key: 'dwell', label: 'Days in stage against won deals', value: 0, contribution: -1 }] };
            const element = mount();
            getRecord.emit(oppRecord({ ...checklistFixture, winProbability: win }));
            await flush();
            expect(element.shadowRoot.querySelector('.win-probability').textContent).toBe('Win probability 62 % (typical at this stage 45 %): People engaged (30 days) +9.5 · Executive engaged +6');
            const without = mount();
            getRecord.emit(oppRecord({ ...checklistFixture, winProbability: { percent: null, stageBaseline: null, message: 'Cannot estimate a win probability yet', factors: [] } }));
            await flush();
            expect(without.shadowRoot.querySelector('.win-probability')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('When the deal has the data, then the card is accessible', async () => {
            const element = mount();
            getRecord.emit(oppRecord(checklistFixture));
            await flush();
            await expect(element).toBeAccessible();
        });
    });

    describe('checklist states', () => {
        it('When the deal is closed, then the card says gates judge open deals only, not that one comes after the next sync', async () => {
            const element = mount();
            getRecord.emit(oppRecord(null, { IsClosed: true, StageName: 'Closed Won' }));
            await flush();
            expect(element.shadowRoot.querySelector('[data-id="closed-deal"]').textContent).toBe('This deal is closed (Closed Won): stage gates judge open deals only.');
            expect(element.shadowRoot.querySelector('.empty-state')).toBeNull();
        });

        it('When a gate was skipped, then a visible line under the path names the stage, not only screen-reader text', async () => {
            const element = mount();
            getRecord.emit(oppRecord(checklistFixture));
            await flush();
            expect(element.shadowRoot.querySelector('[data-id="skipped-stages"]').textContent).toBe('Gate skipped at Qualification: the deal moved on with that gate unmet.');
        });

        it('When the deal has not been computed, then the empty state shows and no milestones', async () => {
            const element = mount();
            getRecord.emit(oppRecord(null));
            await flush();
            expect(element.shadowRoot.querySelector('.empty-state').textContent).toMatch(/not computed this deal yet/);
            expect(items(element)).toHaveLength(0);
            await expect(element).toBeAccessible();
        });

        it('When the checklist is not JSON, then a readable message shows instead of a crash', async () => {
            const element = mount();
            getRecord.emit(oppRecord('{"v":1, "stages": ['));
            await flush();
            expect(element.shadowRoot.querySelector('.checklist-problem').textContent).toMatch(/cannot be read/);
            expect(items(element)).toHaveLength(0);
        });

        it('When the checklist has a newer version, then the card asks for an upgrade', async () => {
            const element = mount();
            getRecord.emit(oppRecord({ ...checklistFixture, v: 2 }));
            await flush();
            expect(element.shadowRoot.querySelector('.checklist-problem').textContent).toMatch(/newer version/);
        });

        it('When the checklist is version 1 but misses its milestones, then it is reported unreadable', async () => {
            const element = mount();
            const { milestones, ...rest } = checklistFixture;
            expect(milestones).toBeDefined();
            getRecord.emit(oppRecord(rest));
            await flush();
            expect(element.shadowRoot.querySelector('.checklist-problem').textContent).toMatch(/cannot be read/);
        });
    });

    describe('getRecord @wire error', () => {
        it('When the record cannot be loaded, then the error panel shows the message', async () => {
            const element = mount();
            getRecord.error({ message: 'Field Gate_Checklist__c is not accessible' });
            await flush();
            const panel = element.shadowRoot.querySelector('c-error-panel');
            expect(panel).not.toBeNull();
            const messages = [...panel.shadowRoot.querySelectorAll('.error-message')].map((m) => m.textContent);
            expect(messages).toEqual(['Field Gate_Checklist__c is not accessible']);
            await expect(element).toBeAccessible();
        });
    });

    describe('attest a missing milestone', () => {
        async function openForm() {
            const element = mount();
            getRecord.emit(oppRecord(checklistFixture));
            await flush();
            const item = itemByKey(element, 'key_metrics_understood');
            item.shadowRoot.querySelector('[data-id="attest"]').click();
            await flush();
            return { element, item };
        }

        it('When the rep submits a note, then createRecord gets exactly the attestation fields and a success toast fires', async () => {
            createRecord.mockResolvedValue({ id: 'a015e00000NeWaTTAV' });
            const { element, item } = await openForm();
            const toast = jest.fn();
            element.addEventListener(ShowToastEventName, toast);

            const textarea = item.shadowRoot.querySelector('lightning-textarea');
            expect(textarea.required).toBe(true);
            textarea.dispatchEvent(new CustomEvent('change', { detail: { value: '  CFO shared the 2027 targets on our call.  ' } }));
            item.shadowRoot.querySelector('[data-id="submit"]').click();
            await flush();

            expect(createRecord).toHaveBeenCalledTimes(1);
            expect(createRecord.mock.calls[0][0]).toEqual({
                apiName: 'Milestone_Attestation__c',
                fields: {
                    Opportunity__c: OPPORTUNITY_ID,
                    Milestone_Key__c: 'key_metrics_understood',
                    Note__c: 'CFO shared the 2027 targets on our call.',
                },
            });
            expect(toast).toHaveBeenCalledTimes(1);
            expect(toast.mock.calls[0][0].detail.variant).toBe('success');
            expect(toast.mock.calls[0][0].detail.message).toBe(
                '"Key business metrics for the next 12 months understood" counts as met after the next recalculation.',
            );
            expect(item.shadowRoot.querySelector('.attestation-pending').textContent).toBe('Attestation pending recalculation');
            expect(item.shadowRoot.querySelector('[data-id="milestone-status"]').label).toBe('Attestation pending recalculation');
            expect(item.shadowRoot.querySelector('[data-id="attest"]')).toBeNull();
            expect(item.shadowRoot.querySelector('.attest-form')).toBeNull();
        });

        it('When the recalculated checklist counts the attestation, then the item shows attested instead of pending', async () => {
            createRecord.mockResolvedValue({ id: 'a015e00000NeWaTTAV' });
            const { element, item } = await openForm();
            item.shadowRoot.querySelector('lightning-textarea').dispatchEvent(new CustomEvent('change', { detail: { value: 'CFO shared the targets.' } }));
            item.shadowRoot.querySelector('[data-id="submit"]').click();
            await flush();
            expect(item.shadowRoot.querySelector('.attestation-pending')).not.toBeNull();

            const recalculated = JSON.parse(JSON.stringify(checklistFixture));
            recalculated.milestones.find((m) => m.key === 'key_metrics_understood').status = 'attested';
            getRecord.emit(oppRecord(recalculated));
            await flush();

            const same = itemByKey(element, 'key_metrics_understood');
            expect(same.shadowRoot.querySelector('.attestation-pending')).toBeNull();
            expect(same.shadowRoot.querySelector('[data-id="milestone-status"]').label).toBe('Attested');
        });

        it('When the note is blank, then createRecord is not called and the note field asks for it, once', async () => {
            const { item } = await openForm();
            const note = item.shadowRoot.querySelector('[data-id="note"]');
            const reported = jest.fn();
            note.reportValidity = reported;
            note.dispatchEvent(new CustomEvent('change', { detail: { value: '   ' } }));
            item.shadowRoot.querySelector('[data-id="submit"]').click();
            await flush();
            expect(createRecord).not.toHaveBeenCalled();
            expect(reported).toHaveBeenCalledTimes(1);
            // The field's own message says it; nothing else repeats it.
            expect(note.messageWhenValueMissing).toBe('Write a note before you attest.');
            expect(item.shadowRoot.textContent).not.toContain('Write a note before you attest.');
        });

        it('When saving fails, then an error toast carries the server message and the form stays open', async () => {
            createRecord.mockRejectedValue({ body: { message: 'Insufficient access to Milestone_Attestation__c' } });
            const { element, item } = await openForm();
            const toast = jest.fn();
            element.addEventListener(ShowToastEventName, toast);
            item.shadowRoot
                .querySelector('lightning-textarea')
                .dispatchEvent(new CustomEvent('change', { detail: { value: 'Agreed on the call.' } }));
            item.shadowRoot.querySelector('[data-id="submit"]').click();
            await flush();
            expect(toast.mock.calls[0][0].detail.variant).toBe('error');
            expect(toast.mock.calls[0][0].detail.message).toBe('Insufficient access to Milestone_Attestation__c');
            expect(item.shadowRoot.querySelector('.attest-form')).not.toBeNull();
            expect(item.shadowRoot.querySelector('.attestation-pending')).toBeNull();
        });

        it('When the form is open, then the card is still accessible', async () => {
            const { element } = await openForm();
            await expect(element).toBeAccessible();
        });
    });
});
