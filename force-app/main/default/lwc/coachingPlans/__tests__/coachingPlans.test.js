import { createElement } from 'lwc';
import CoachingPlans from 'c/coachingPlans';
import { getRecord, createRecord, updateRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';

const userFixture = require('./data/getRecord.json');
const cardsFixture = require('./data/scorecards.json');
const plansFixture = require('./data/plans.json');

const REP_ID = userFixture.id;
const TOAST = 'lightning__showtoast';
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const list = (id) => (config) => config.relatedListId === id;

async function mount({ cards = cardsFixture, plans = plansFixture } = {}) {
    const element = createElement('c-coaching-plans', { is: CoachingPlans });
    element.recordId = REP_ID;
    document.body.appendChild(element);
    await flush();
    getRecord.emit(userFixture);
    getRelatedListRecords.emit(cards, list('Rep_Scorecards__r'));
    getRelatedListRecords.emit(plans, list('Coaching_Plans__r'));
    await flush();
    return element;
}
const one = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const all = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];

describe('c-coaching-plans', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.useRealTimers();
        jest.clearAllMocks();
    });

    describe('getRelatedListRecords @wire data', () => {
        it('When plans exist, then each shows its signal, baseline, every week since, the verdict, and a closed one its outcome', async () => {
            const element = await mount();
            const plans = all(element, 'plan');
            expect(plans).toHaveLength(2);
            const [active, closed] = plans;
            expect(active.querySelector('[data-id="plan-signal"]').textContent).toBe('Meaningful conversations (30 days)');
            expect(active.querySelector('[data-id="baseline"]').textContent).toBe('Baseline 13 (mean of 3 weeks before the plan)');
            expect([...active.querySelectorAll('[data-id="week"]')].map((li) => li.textContent)).toEqual(['2026-W4520', '2026-W4630']);
            expect(active.querySelector('[data-id="verdict"]').textContent).toBe('Moved');
            expect(active.querySelector('[data-id="detail"]').textContent).toBe('Moved: 25 a week since the plan against a baseline of 13');
            expect(closed.querySelector('[data-id="plan-signal"]').textContent).toBe('Conversations with executives (90 days)');
            expect(closed.querySelector('[data-id="verdict"]').textContent).toBe('Not measured yet');
            expect(closed.querySelector('[data-id="closed"]').textContent).toBe('Closed: did not work');
            expect(closed.querySelector('[data-id="close-worked"]')).toBeNull();
            await expect(element).toBeAccessible();
        });

        it('When the latest scorecard has a focus, then the new-plan form is pre-filled from it', async () => {
            const element = await mount();
            expect(one(element, 'focus-line').textContent).toBe('Focus: Pipeline, Self-generated opportunities (90 days) (now 4)');
            expect(one(element, 'actions').value).toBe('Build your own pipeline: create two qualified opportunities a week from your target accounts.');
        });

        it('When there is no scorecard yet, then the card says the first sync writes the focus', async () => {
            const element = await mount({ cards: { records: [], count: 0 }, plans: { records: [], count: 0 } });
            expect(one(element, 'no-focus')).not.toBeNull();
            expect(one(element, 'no-plans')).not.toBeNull();
        });
    });

    describe('creating and closing plans', () => {
        it('When the manager creates a plan, then Coaching_Plan__c gets the diagnosis, the focus competency and signal, the actions, target, start today and review date', async () => {
            jest.useFakeTimers({ now: new Date('2026-11-20T12:00:00Z'), doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'queueMicrotask', 'nextTick'] });
            createRecord.mockResolvedValue({ id: 'a0F9' });
            const element = await mount();
            const toast = jest.fn();
            element.addEventListener(TOAST, toast);
            one(element, 'actions').dispatchEvent(new CustomEvent('change', { detail: { value: 'Shadow John on two prospecting blocks a week' } }));
            one(element, 'target').dispatchEvent(new CustomEvent('change', { detail: { value: '10' } }));
            one(element, 'create').click();
            await flush();
            const { apiName, fields } = createRecord.mock.calls[0][0];
            expect(apiName).toBe('Coaching_Plan__c');
            expect(fields).toMatchObject({
                Name: 'Pipeline: Self-generated opportunities (90 days)', Rep__c: REP_ID, Diagnosis__c: 'Skill', Competency__c: 'pipeline', Signal__c: 'selfGeneratedPipeline',
                Actions__c: 'Shadow John on two prospecting blocks a week', Target__c: 10, Start_Date__c: '2026-11-20', Review_Date__c: '2026-12-18',
            });
            expect(toast.mock.calls[0][0].detail).toMatchObject({ title: 'Coaching plan created', variant: 'success' });
            expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: REP_ID }]);
        });

        it('When an active plan is closed as worked, then its status and outcome are updated', async () => {
            updateRecord.mockResolvedValue({});
            const element = await mount();
            all(element, 'plan')[0].querySelector('[data-id="close-worked"]').click();
            await flush();
            expect(updateRecord).toHaveBeenCalledWith({ fields: { Id: 'a0F1', Status__c: 'Closed', Outcome__c: 'Worked' } });
        });

        it('When creating fails, then the reason shows', async () => {
            createRecord.mockRejectedValue({ body: { message: 'Review Date: a date reads YYYY-MM-DD' } });
            const element = await mount();
            one(element, 'create').click();
            await flush();
            expect(one(element, 'problem').textContent).toBe('Not saved: Review Date: a date reads YYYY-MM-DD');
        });
    });

    describe('getRecord @wire error', () => {
        it('When the rep cannot be read, then the error panel shows', async () => {
            const element = createElement('c-coaching-plans', { is: CoachingPlans });
            element.recordId = REP_ID;
            document.body.appendChild(element);
            await flush();
            getRecord.error();
            await flush();
            expect(element.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
        });
    });
});
