import { createElement } from 'lwc';
import QuarterlyReview from 'c/quarterlyReview';
import { getRecord, createRecord, updateRecord } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';

const reviewsFixture = require('./data/getRelatedListRecords.json');
const userFixture = require('./data/getRecord.json');

const USER_ID = userFixture.id;
const CURRENT_REVIEW_ID = reviewsFixture.records[0].id;
const TOAST = 'lightning__showtoast';
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

// Only the clock is faked: the component works out "this quarter" from today.
function setToday(iso) {
    jest.useFakeTimers({
        now: new Date(iso),
        doNotFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'nextTick', 'queueMicrotask', 'setInterval', 'clearInterval'],
    });
}

async function mount(reviews = reviewsFixture) {
    const element = createElement('c-quarterly-review', { is: QuarterlyReview });
    element.recordId = USER_ID;
    document.body.appendChild(element);
    getRecord.emit(userFixture);
    getRelatedListRecords.emit(reviews);
    await flush();
    return element;
}

const textarea = (element, name) => element.shadowRoot.querySelector(`lightning-textarea[data-name="${name}"]`);
function type(element, name, value) {
    textarea(element, name).dispatchEvent(new CustomEvent('change', { detail: { value } }));
}

describe('c-quarterly-review', () => {
    beforeEach(() => setToday('2026-11-20T12:00:00'));
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.useRealTimers();
        jest.clearAllMocks();
    });

    describe('with coaching plans measured this quarter', () => {
        it('When the actuals carry the quarter\'s plans, then they are listed under what worked and what did not; plans too early to judge in neither', async () => {
            const actuals = [
                { signal: 'meaningfulConversations', label: 'Meaningful conversations', value: 9, target: 12 },
                { kind: 'plan', signal: 'plan:a0F1', label: 'Discovery: Meaningful conversations (30 days)', value: 25, target: 13, met: true, worked: true, detail: 'Moved: 25 a week' },
                { kind: 'plan', signal: 'plan:a0F2', label: 'Executive access: Conversations with executives (90 days)', value: 2, target: 2, met: false, worked: false, detail: 'Not moved' },
                { kind: 'plan', signal: 'plan:a0F3', label: 'Pipeline: Self-generated opportunities (90 days)', value: null, target: null, met: null, worked: null, detail: 'Too early' },
            ];
            const reviews = JSON.parse(JSON.stringify(reviewsFixture));
            reviews.records[0].fields.Measured_Actuals__c.value = JSON.stringify(actuals);
            const element = await mount(reviews);
            const root = element.shadowRoot;
            expect([...root.querySelectorAll('[data-id="plan-worked"]')].map((li) => li.textContent)).toEqual(['Discovery: Meaningful conversations (30 days)']);
            expect([...root.querySelectorAll('[data-id="plan-did-not-work"]')].map((li) => li.textContent)).toEqual(['Executive access: Conversations with executives (90 days)']);
            expect(root.querySelector('[data-id="plan-worked"]').title).toBe('Moved: 25 a week');
            const rows = [...root.querySelectorAll('tr.objective')].map((tr) => tr.children[1].textContent);
            expect(rows).toEqual(['Meaningful conversations', 'Not measured']);
            await expect(element).toBeAccessible();
        });

        it('When no plan ran this quarter, then the plans section is not shown', async () => {
            const element = await mount();
            expect(element.shadowRoot.querySelector('[data-id="plan-results"]')).toBeNull();
        });
    });

    describe('with a review for this quarter', () => {
        it("When the quarter's review exists, then its status, objectives with actuals and texts show", async () => {
            const element = await mount();
            const root = element.shadowRoot;
            expect(root.querySelector('lightning-card').title).toBe('Quarterly review 2026-Q4');
            expect(getRelatedListRecords.getLastConfig().relatedListId).toBe('Quarterly_Reviews__r');
            expect(root.querySelector('.review-status').label).toBe('Draft');
            const rows = [...root.querySelectorAll('tr.objective')].map((tr) => [...tr.children].map((c) => c.textContent));
            expect(rows).toEqual([
                ['Hold 12 meaningful conversations with VP-level prospects', 'Meaningful conversations', '9', '12'],
                ['Shadow a senior AE on two discovery calls', 'Not measured', '', ''],
            ]);
            expect(textarea(element, 'What_Worked__c').value).toBe('Asking champions for introductions.');
            expect(textarea(element, 'What_Worked__c').label).toBe('What worked');
            expect(textarea(element, 'Manager_Notes__c').value).toBe('Good progress on executive access.');
            expect(textarea(element, 'Lessons_Learned__c').value).toBe('');
            expect(root.querySelector('[data-id="advance"]').label).toBe('Submit for review');
            await expect(element).toBeAccessible();
        });

        it('When the rep edits a text and saves, then updateRecord gets the edited text for that review', async () => {
            const element = await mount();
            const toast = jest.fn();
            element.addEventListener(TOAST, toast);
            type(element, 'Lessons_Learned__c', 'Book the next meeting before hanging up.');
            element.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();

            expect(createRecord).not.toHaveBeenCalled();
            expect(updateRecord).toHaveBeenCalledTimes(1);
            const { fields } = updateRecord.mock.calls[0][0];
            expect(fields.Id).toBe(CURRENT_REVIEW_ID);
            expect(fields.Lessons_Learned__c).toBe('Book the next meeting before hanging up.');
            expect(fields.What_Worked__c).toBe('Asking champions for introductions.');
            expect(fields.Status__c).toBe('Draft');
            expect(toast.mock.calls[0][0].detail.variant).toBe('success');
        });

        it('When the rep submits, then the status moves to Submitted and the manager can mark it reviewed', async () => {
            const element = await mount();
            element.shadowRoot.querySelector('[data-id="advance"]').click();
            await flush();
            expect(updateRecord.mock.calls[0][0].fields).toMatchObject({ Id: CURRENT_REVIEW_ID, Status__c: 'Submitted' });
            expect(element.shadowRoot.querySelector('.review-status').label).toBe('Submitted');
            expect(element.shadowRoot.querySelector('[data-id="advance"]').label).toBe('Mark reviewed');
            // Submitted: the rep's answers lock, the manager's notes stay open.
            expect(textarea(element, 'What_Worked__c').readOnly).toBe(true);
            expect(textarea(element, 'Manager_Notes__c').readOnly).toBe(false);
            expect(element.shadowRoot.querySelector('[data-id="locked"]').textContent).toMatch(/locked/);

            element.shadowRoot.querySelector('[data-id="advance"]').click();
            await flush();
            expect(updateRecord.mock.calls[1][0].fields.Status__c).toBe('Reviewed');
            expect(element.shadowRoot.querySelector('[data-id="advance"]')).toBeNull();
            expect(element.shadowRoot.querySelector('[data-id="save"]')).toBeNull();
            expect(textarea(element, 'Manager_Notes__c').readOnly).toBe(true);
        });

        it('When the rep submits, then the toast says submitted, not just saved', async () => {
            const element = await mount();
            const toast = jest.fn();
            element.addEventListener(TOAST, toast);
            element.shadowRoot.querySelector('[data-id="advance"]').click();
            await flush();
            expect(toast.mock.calls[0][0].detail.title).toBe('Review submitted');
        });

        it('When text is typed and not saved, then the card says so and leaving the page asks first; after a save it does not', async () => {
            const element = await mount();
            expect(element.shadowRoot.querySelector('[data-id="unsaved"]')).toBeNull();
            type(element, 'What_Worked__c', 'Multi-threading early.');
            await flush();
            expect(element.shadowRoot.querySelector('[data-id="unsaved"]').textContent).toBe('Unsaved changes');
            const leaving = new CustomEvent('beforeunload', { cancelable: true });
            window.dispatchEvent(leaving);
            expect(leaving.defaultPrevented).toBe(true);
            element.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();
            expect(element.shadowRoot.querySelector('[data-id="unsaved"]')).toBeNull();
            const again = new CustomEvent('beforeunload', { cancelable: true });
            window.dispatchEvent(again);
            expect(again.defaultPrevented).toBe(false);
        });

        it('When saving fails, then an error toast carries the message and the status stays', async () => {
            updateRecord.mockRejectedValueOnce({ body: { message: 'You do not have access to Manager_Notes__c' } });
            const element = await mount();
            const toast = jest.fn();
            element.addEventListener(TOAST, toast);
            element.shadowRoot.querySelector('[data-id="advance"]').click();
            await flush();
            expect(toast.mock.calls[0][0].detail).toMatchObject({ variant: 'error', message: 'You do not have access to Manager_Notes__c' });
            expect(element.shadowRoot.querySelector('.review-status').label).toBe('Draft');
        });

        it('When the objectives JSON is broken, then a readable message shows instead of the table', async () => {
            const broken = JSON.parse(JSON.stringify(reviewsFixture));
            broken.records[0].fields.Objectives__c.value = '[{"text":';
            const element = await mount(broken);
            expect(element.shadowRoot.querySelector('.objectives-problem')).not.toBeNull();
            expect(element.shadowRoot.querySelectorAll('tr.objective')).toHaveLength(0);
        });
    });

    describe('without a review for this quarter', () => {
        it('When it is January 2027, then the card offers a new 2027-Q1 review and saving creates it with its key', async () => {
            setToday('2027-01-05T09:00:00');
            createRecord.mockResolvedValue({ id: 'a045e00000NeWrEAAV' });
            const element = await mount();
            expect(element.shadowRoot.querySelector('.no-review')).not.toBeNull();
            expect(textarea(element, 'What_Worked__c').value).toBe('');
            expect(element.shadowRoot.querySelector('[data-id="advance"]')).toBeNull();

            type(element, 'Next_Quarter_Plan__c', 'Two executive meetings a month.');
            element.shadowRoot.querySelector('[data-id="save"]').click();
            await flush();

            expect(updateRecord).not.toHaveBeenCalled();
            expect(createRecord).toHaveBeenCalledWith({
                apiName: 'Quarterly_Review__c',
                fields: {
                    Name: 'Dana Ruiz — 2027-Q1',
                    Review_Key__c: `${USER_ID}:2027-Q1`,
                    Rep__c: USER_ID,
                    Quarter__c: '2027-Q1',
                    Status__c: 'Draft',
                    Next_Quarter_Plan__c: 'Two executive meetings a month.',
                },
            });
            expect(element.shadowRoot.querySelector('[data-id="advance"]').label).toBe('Submit for review');
            await expect(element).toBeAccessible();
        });

        it('When the rep has no reviews at all, then the empty state shows', async () => {
            const element = await mount({ count: 0, records: [] });
            expect(element.shadowRoot.querySelector('.no-review').textContent).toMatch(/No review for this quarter yet/);
        });
    });

    describe('errors', () => {
        it('When the reviews cannot be loaded, then the error panel shows', async () => {
            const element = createElement('c-quarterly-review', { is: QuarterlyReview });
            element.recordId = USER_ID;
            document.body.appendChild(element);
            getRelatedListRecords.error({ message: 'Quarterly_Reviews__r is not accessible' });
            await flush();
            const panel = element.shadowRoot.querySelector('c-error-panel');
            expect(panel.shadowRoot.querySelector('.error-message').textContent).toBe('Quarterly_Reviews__r is not accessible');
            expect(element.shadowRoot.querySelector('lightning-textarea')).toBeNull();
            await expect(element).toBeAccessible();
        });
    });
});
