import { createElement } from 'lwc';
import TeamScorecards, { trendOf } from 'c/teamScorecards';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';

const listFixture = require('./data/getRelatedListRecords.json');

const MANAGER_ID = '005000000000001AAA';
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(list = listFixture) {
    const element = createElement('c-team-scorecards', { is: TeamScorecards });
    element.recordId = MANAGER_ID;
    document.body.appendChild(element);
    getRelatedListRecords.emit(list);
    await flush();
    return element;
}
const names = (root) => [...root.querySelectorAll('[data-id="rep-link"]')].map((a) => a.textContent);
const sortBy = async (root, key) => {
    root.querySelector(`[data-id="sort"][data-key="${key}"]`).click();
    await flush();
};

describe('c-team-scorecards', () => {
    afterEach(() => {
        while (document.body.firstChild) document.body.removeChild(document.body.firstChild);
        jest.clearAllMocks();
    });

    it("When the wire is configured, then it asks for the manager's Team_Scorecards related list, newest first", async () => {
        await mount();
        const config = getRelatedListRecords.getLastConfig();
        expect(config.parentRecordId).toBe(MANAGER_ID);
        expect(config.relatedListId).toBe('Team_Scorecards__r');
        expect(config.fields).toEqual(expect.arrayContaining(['Rep_Scorecard__c.Rep__r.Name', 'Rep_Scorecard__c.Is_Current__c', 'Rep_Scorecard__c.Behaviour_Score__c']));
        expect(config.sortBy).toEqual(['-Rep_Scorecard__c.Period_Start__c']);
    });

    it('When the team has scorecards, then one row per rep shows the current week only, highest composite first, each name linking to the rep', async () => {
        const element = await mount();
        const root = element.shadowRoot;
        expect(names(root)).toEqual(['Anna Snelling', 'Versie Hillebrand', 'Cecily Lampkin']);
        const anna = root.querySelector('[data-rep="005000000000007AAA"]');
        expect(anna.querySelector('[data-id="rep-link"]').getAttribute('href')).toBe('/lightning/r/User/005000000000007AAA/view');
        expect([...anna.querySelectorAll('td.score')].map((td) => td.textContent)).toEqual(['51', '67', '80', '56', '15', '43', '45']);
        expect(anna.querySelector('[data-id="focus"]').textContent).toBe('Multi-thread: engage a second and third person on every active deal.');
        expect(root.querySelector('[data-id="team-count"]').textContent).toBe('3 reps');
        await expect(element).toBeAccessible();
    });

    it('When a column heading is selected, then rows sort by it and a second press reverses the order', async () => {
        const element = await mount();
        const root = element.shadowRoot;
        await sortBy(root, 'name');
        expect(names(root)).toEqual(['Anna Snelling', 'Cecily Lampkin', 'Versie Hillebrand']);
        expect(root.querySelector('th[aria-sort="ascending"] [data-key="name"]')).not.toBeNull();
        await sortBy(root, 'name');
        expect(names(root)).toEqual(['Versie Hillebrand', 'Cecily Lampkin', 'Anna Snelling']);
        await sortBy(root, 'stakeholderEngagement');
        expect(names(root)).toEqual(['Cecily Lampkin', 'Versie Hillebrand', 'Anna Snelling']);
        await sortBy(root, 'trend');
        // Up 5, down 3, and no earlier week (blank) last.
        expect(names(root)).toEqual(['Anna Snelling', 'Cecily Lampkin', 'Versie Hillebrand']);
    });

    it('When trends are read, then the arrow and words say up, down, flat or no earlier week', async () => {
        const element = await mount();
        const root = element.shadowRoot;
        expect(root.querySelector('[data-rep="005000000000007AAA"] [data-id="trend"] lightning-icon').iconName).toBe('utility:arrowup');
        expect(root.querySelector('[data-rep="005000000000008AAA"] [data-id="trend"]').title).toBe('Down 3 points since 2026-W49');
        expect(trendOf(JSON.stringify({ trend: [{ period: 'W1', score: 40 }, { period: 'W2', score: 40 }] })).text).toBe('No change since W1');
        expect(trendOf('not json').change).toBeNull();
    });

    it('When nobody reports to the person, then nothing is drawn', async () => {
        const element = await mount({ count: 0, records: [] });
        expect(element.shadowRoot.querySelector('[data-id="team-table"]')).toBeNull();
    });

    it('When the related list fails, then the error panel shows it', async () => {
        const element = createElement('c-team-scorecards', { is: TeamScorecards });
        element.recordId = MANAGER_ID;
        document.body.appendChild(element);
        getRelatedListRecords.error({ message: 'boom' });
        await flush();
        expect(element.shadowRoot.querySelector('c-error-panel')).not.toBeNull();
    });
});
