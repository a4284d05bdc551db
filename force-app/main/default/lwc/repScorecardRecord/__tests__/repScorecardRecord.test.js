import { createElement } from 'lwc';
import RepScorecardRecord from 'c/repScorecardRecord';
import { getRecord } from 'lightning/uiRecordApi';

const SCORECARD_ID = 'a0D000000000001AAA';
const REP_ID = '0055e00000DaNaRAAV';
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

const mount = () => {
    const element = createElement('c-rep-scorecard-record', { is: RepScorecardRecord });
    element.recordId = SCORECARD_ID;
    document.body.appendChild(element);
    return element;
};

describe('c-rep-scorecard-record', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    describe('getRecord @wire data', () => {
        it('When the scorecard is read, then the rep it belongs to is given to the scorecard and the review', async () => {
            const element = mount();
            await flush();
            getRecord.emit(
                { apiName: 'Rep_Scorecard__c', id: SCORECARD_ID, fields: { Rep__c: { value: REP_ID, displayValue: null } } },
                (config) => config.recordId === SCORECARD_ID
            );
            await flush();
            expect(element.shadowRoot.querySelector('c-behaviour-scorecard').recordId).toBe(REP_ID);
            expect(element.shadowRoot.querySelector('c-quarterly-review').recordId).toBe(REP_ID);
            await expect(element).toBeAccessible();
        });

        it('When nothing has loaded yet, then neither component is shown', async () => {
            const element = mount();
            await flush();
            expect(element.shadowRoot.querySelector('c-behaviour-scorecard')).toBeNull();
        });
    });

    describe('getRecord @wire error', () => {
        it('When the scorecard cannot be read, then the shared error panel shows it', async () => {
            const element = mount();
            getRecord.error({ message: 'insufficient access' }, 403, 'Forbidden');
            await flush();
            expect(element.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
            expect(element.shadowRoot.querySelector('c-behaviour-scorecard')).toBeNull();
        });
    });
});
