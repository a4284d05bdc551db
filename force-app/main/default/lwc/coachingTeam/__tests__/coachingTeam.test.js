import { createElement } from 'lwc';
import CoachingTeam from 'c/coachingTeam';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';
import { createRecord, notifyRecordUpdateAvailable } from 'lightning/uiRecordApi';

const cardsFixture = require('./data/teamScorecards.json');
const goalsFixture = require('./data/teamGoals.json');
const plansFixture = require('./data/coachingPlans.json');

const MANAGER_ID = '005000000000100AAA';
const TOAST = 'lightning__showtoast';
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));
const list = (id) => (config) => config.relatedListId === id;

async function mount({ cards = cardsFixture, goals = goalsFixture, plans = plansFixture } = {}) {
    const element = createElement('c-coaching-team', { is: CoachingTeam });
    element.recordId = MANAGER_ID;
    document.body.appendChild(element);
    // The wires get their configuration once connected: emit to each by its related list after that.
    await flush();
    getRelatedListRecords.emit(cards, list('Team_Scorecards__r'));
    getRelatedListRecords.emit(goals, list('Team_Goals__r'));
    getRelatedListRecords.emit(plans, list('Coaching_Plans_Led__r'));
    await flush();
    return element;
}
const all = (element, id) => [...element.shadowRoot.querySelectorAll(`[data-id="${id}"]`)];
const one = (element, id) => element.shadowRoot.querySelector(`[data-id="${id}"]`);
const texts = (nodes) => nodes.map((n) => n.textContent.replace(/\s+/g, ' ').trim());

describe('c-coaching-team', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    describe('getRelatedListRecords @wire data', () => {
        it("When the team's current scorecards carry coverage, then each rep's open deals, inspected and share show, and the team total", async () => {
            const element = await mount();
            const rows = all(element, 'coverage-row').map((tr) => texts([...tr.children]));
            expect(rows).toEqual([
                ['Carl Jones', '10', '3', '30 %'],
                ['John Smith', '10', '7', '70 %'],
            ]);
            expect(one(element, 'coverage-team').textContent).toBe('Team: 10 of 20 open deals inspected (50 %)');
            await expect(element).toBeAccessible();
        });

        it('When the org has inspected and not-inspected closed deals, then both win rates show with counts and intervals, and whether the gap is beyond chance', async () => {
            const element = await mount();
            const side = (id) => texts([...one(element, id).querySelectorAll('[data-id="rate"], [data-id="counts"]')]);
            expect(side('win-inspected')).toEqual(['70 %', '21 won of 30 (95 % interval 52–83 %)']);
            expect(side('win-not-inspected')).toEqual(['30 %', '9 won of 30 (95 % interval 17–48 %)']);
            expect(one(element, 'win-verdict').textContent).toBe('Inspected deals win 2.3× as often, beyond chance.');
        });

        it('When one side has no closed deals yet, then the card says there is not enough to compare', async () => {
            const cards = JSON.parse(JSON.stringify(cardsFixture));
            for (const r of cards.records) {
                const bd = JSON.parse(r.fields.Score_Breakdown__c.value);
                bd.coaching.inspectionWinRates = { ...bd.coaching.inspectionWinRates, inspected: { closed: 0, won: 0, rate: null, interval: null }, ratio: null, separated: false };
                r.fields.Score_Breakdown__c.value = JSON.stringify(bd);
            }
            const element = await mount({ cards });
            expect(texts([...one(element, 'win-inspected').querySelectorAll('[data-id="rate"], [data-id="counts"]')])).toEqual(['—', '0 won of 0']);
            expect(one(element, 'win-verdict').textContent).toMatch(/^Not enough closed deals on both sides/);
        });

        it('When a goal has progress, then each rep shows counted per week, on target or behind, and the zero-second calls not counted', async () => {
            const element = await mount();
            const goals = all(element, 'goal');
            expect(goals).toHaveLength(2);
            expect(goals[0].querySelector('[data-id="goal-line"]').textContent).toBe('Meaningful conversations per rep per week ≥ 8, 2026-11-02 to 2026-11-29');
            expect(goals[0].querySelector('[data-id="goal-team"]').textContent).toBe('Team: 6.5 a rep a week; 1 of 2 reps on target');
            const reps = [...goals[0].querySelectorAll('[data-id="goal-rep"]')].map((li) => texts([...li.querySelectorAll('span')]));
            expect(reps).toEqual([
                ['Carl Jones: 3', 'Behind', '60 zero-second calls not counted'],
                ['John Smith: 10', 'On target', ''],
            ]);
            expect(goals[1].querySelector('[data-id="goal-team"]').textContent).toBe('Not measured yet: the next sync measures it');
        });

        it('When a next-step goal has progress, then the deals with pasted next-step text show as not counted', async () => {
            const progress = { v: 1, signal: 'nextStepsScheduled', targetPerWeek: 80, weeksElapsed: 1, team: { perWeek: 50, repsOnTarget: 1, reps: 2 },
                reps: [{ repId: '005P', repName: 'Pat Paster', perWeek: 0, onTarget: false, weeks: [], notCounted: { zeroSecondCalls: 0, shortCalls: 0, pastedNextSteps: 4 } }] };
            const goals = { records: [{ apiName: 'Team_Goal__c', id: 'a0G9', fields: { Name: { value: 'Next steps' }, Signal__c: { value: 'nextStepsScheduled' }, Target_Per_Week__c: { value: 80 }, Start_Date__c: { value: '2026-11-02' }, End_Date__c: { value: '2026-11-29' }, Progress__c: { value: JSON.stringify(progress) }, Team_Per_Week__c: { value: 50 }, Reps_On_Target__c: { value: 1 } } }], count: 1 };
            const element = await mount({ goals });
            expect(one(element, 'goal-line').textContent).toBe('Open deals with a dated next step (%) per rep ≥ 80, 2026-11-02 to 2026-11-29');
            expect(one(element, 'not-counted').textContent).toBe('4 deals with pasted next-step text not counted');
        });

        it('When plans exist, then each shows baseline, this week and the verdict (closed ones as closed)', async () => {
            const element = await mount();
            const rows = all(element, 'plan-row').map((tr) => texts([...tr.children]));
            expect(rows).toEqual([
                ['Carl prospects', 'Carl Jones', 'Self-generated opportunities (90 days)', '4.3', '9', 'Moved', '2026-12-01'],
                ['John exec access', 'John Smith', 'Conversations with executives (90 days)', '2', '2', 'Not moved', '2026-12-08'],
                ['Old plan', 'John Smith', 'meaningfulConversations', '5', '6', 'Closed', '2026-10-01'],
            ]);
            expect(all(element, 'verdict')[0].title).toBe('Moved: 9 a week since the plan against a baseline of 4.3');
        });

        it('When a rep has a peer to learn from, then the peer and the side-by-side line show; when none, it says so', async () => {
            const element = await mount();
            expect(texts(all(element, 'peer-text'))).toEqual([
                'Pipeline: learn from John Smith. Carl Jones: 4 (self-generated opportunities (90 days)); John Smith: 19. John Smith wins 31 % against 18 %',
                'No teammate is both stronger at the weakest competency and converting better.',
            ]);
        });

        it('When there are no goals or plans, then the card says so', async () => {
            const element = await mount({ goals: { records: [], count: 0 }, plans: { records: [], count: 0 } });
            expect(one(element, 'no-goals')).not.toBeNull();
            expect(one(element, 'no-plans')).not.toBeNull();
            await expect(element).toBeAccessible();
        });
    });

    describe('setting a goal', () => {
        it('When the manager sets a goal, then a Team_Goal__c is created for this manager with the chosen behaviour, target and dates', async () => {
            createRecord.mockResolvedValue({ id: 'a0G3' });
            const element = await mount();
            const toast = jest.fn();
            element.addEventListener(TOAST, toast);
            const input = (field) => element.shadowRoot.querySelector(`[data-field="${field}"]`);
            const change = (field, value) => input(field).dispatchEvent(new CustomEvent('change', { detail: { value } }));
            change('name', 'Spiff: conversations');
            change('signal', 'executiveConversations');
            change('target', '3');
            change('start', '2026-12-01');
            change('end', '2026-12-21');
            one(element, 'set-goal').click();
            await flush();
            expect(createRecord).toHaveBeenCalledWith({
                apiName: 'Team_Goal__c',
                fields: { Name: 'Spiff: conversations', Manager__c: MANAGER_ID, Signal__c: 'executiveConversations', Target_Per_Week__c: 3, Start_Date__c: '2026-12-01', End_Date__c: '2026-12-21' },
            });
            expect(toast.mock.calls[0][0].detail).toMatchObject({ title: 'Goal set', variant: 'success' });
            expect(notifyRecordUpdateAvailable).toHaveBeenCalledWith([{ recordId: MANAGER_ID }]);
        });

        it('When the goal is refused, then the reason shows', async () => {
            createRecord.mockRejectedValue({ body: { output: { errors: [], fieldErrors: { End_Date__c: [{ message: 'End Date: must not be before the start date' }] } } } });
            const element = await mount();
            one(element, 'set-goal').click();
            await flush();
            expect(one(element, 'problem').textContent).toBe('Not saved: End Date: must not be before the start date');
        });
    });

    describe('getRelatedListRecords @wire error', () => {
        it('When the scorecards cannot be read, then the error panel shows', async () => {
            const element = createElement('c-coaching-team', { is: CoachingTeam });
            element.recordId = MANAGER_ID;
            document.body.appendChild(element);
            getRelatedListRecords.error();
            await flush();
            expect(element.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
        });
    });
});
