import { createElement } from 'lwc';
import BehaviourScorecard from 'c/behaviourScorecard';
import { getRecord, getRecords } from 'lightning/uiRecordApi';
import { getRelatedListRecords } from 'lightning/uiRelatedListApi';

const userFixture = require('./data/getRecord.json');
const listFixture = require('./data/getRelatedListRecords.json');
const breakdownFixture = require('./data/breakdown.json');

const USER_ID = userFixture.id;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

// The related list with the latest scorecard's breakdown set to `breakdown` (an object, a string or null).
function scorecards(breakdown) {
    const list = JSON.parse(JSON.stringify(listFixture));
    list.records[0].fields.Score_Breakdown__c.value =
        breakdown === null || typeof breakdown === 'string' ? breakdown : JSON.stringify(breakdown);
    return list;
}

async function mountWith(breakdown) {
    const element = createElement('c-behaviour-scorecard', { is: BehaviourScorecard });
    element.recordId = USER_ID;
    document.body.appendChild(element);
    getRecord.emit(userFixture);
    getRelatedListRecords.emit(breakdown === undefined ? { count: 0, records: [] } : scorecards(breakdown));
    await flush();
    return element;
}

const texts = (root, selector) => [...root.querySelectorAll(selector)].map((n) => n.textContent.trim());

describe('c-behaviour-scorecard', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
        jest.clearAllMocks();
    });

    describe('wired data', () => {
        it('When the wires are configured, then they ask for the rep and the latest scorecard first', async () => {
            await mountWith(breakdownFixture);
            expect(getRecord.getLastConfig().recordId).toBe(USER_ID);
            const config = getRelatedListRecords.getLastConfig();
            expect(config.parentRecordId).toBe(USER_ID);
            expect(config.relatedListId).toBe('Rep_Scorecards__r');
            expect(config.fields).toEqual(
                expect.arrayContaining(['Rep_Scorecard__c.Score_Breakdown__c', 'Rep_Scorecard__c.Period__c', 'Rep_Scorecard__c.Behaviour_Score__c']),
            );
            expect(config.sortBy).toEqual(['-Rep_Scorecard__c.Period_Start__c']);
        });

        it('When the rep has a scorecard, then the score, period, peer group and six competency bars show the fixture values', async () => {
            const element = await mountWith(breakdownFixture);
            const root = element.shadowRoot;
            expect(root.querySelector('.behaviour-score').textContent).toBe('64');
            expect(root.querySelector('.period').textContent).toBe('Week 2026-W47');
            expect(root.querySelector('.peer-group').textContent).toBe('Compared with Account Executive · Central (11 reps)');
            expect(root.querySelector('.peers-too-small')).toBeNull();

            const bars = [...root.querySelectorAll('svg.bar')];
            expect(bars).toHaveLength(6);
            expect(bars.map((b) => b.getAttribute('role'))).toEqual(Array(6).fill('img'));
            expect(bars[0].getAttribute('aria-label')).toBe('Pipeline: score 71, peer median 60');
            expect(bars[4].getAttribute('aria-label')).toBe('Executive access: score 31, peer median 54');
            expect(bars[4].querySelector('.bar-fill').getAttribute('width')).toBe('31');
            expect(bars[4].querySelector('.bar-median').getAttribute('x1')).toBe('54');

            const tableRows = [...root.querySelectorAll('.competency-table tbody tr')].map((tr) =>
                [...tr.children].map((c) => c.textContent),
            );
            expect(tableRows[0]).toEqual(['Pipeline', '71', '60']);
            expect(tableRows).toHaveLength(6);
        });

        it('When a competency is expanded, then each signal shows value, peer median, weight and contribution', async () => {
            const element = await mountWith(breakdownFixture);
            const pipeline = element.shadowRoot.querySelector('li.competency[data-key="pipeline"]');
            const rows = [...pipeline.querySelectorAll('tr.signal')];
            expect(rows.map((r) => r.dataset.key)).toEqual(['selfGeneratedPipeline', 'pipelineValue']);
            const [deals, dollars] = rows;
            expect(deals.querySelector('th').textContent).toBe('Self-generated pipeline (90 days)');
            expect(deals.querySelector('.signal-value').value).toBe(4);
            expect(deals.querySelector('.signal-value').formatStyle).toBe('decimal');
            expect(deals.textContent).toContain('deals');
            expect(deals.querySelector('.signal-median').value).toBe(3);
            expect(deals.querySelector('.signal-weight').value).toBe(0.4);
            expect(deals.querySelector('.signal-contribution').value).toBe(28);
            expect(dollars.querySelector('.signal-value').formatStyle).toBe('currency');
            expect(dollars.querySelector('.signal-value').value).toBe(182500);
            // Whole dollars, never "$182,500.0".
            expect(dollars.querySelector('.signal-value').maximumFractionDigits).toBe(0);
            expect(deals.querySelector('.signal-value').maximumFractionDigits).toBe(1);

            const coverage = element.shadowRoot.querySelector('li.competency[data-key="accountCoverage"] tr.signal');
            expect(coverage.querySelector('.signal-value').formatStyle).toBe('percent');
            expect(coverage.querySelector('.signal-value').value).toBeCloseTo(0.625);
        });

        it('When there is a trend, then the chart has one labelled point per week, a 0–100 axis and titled axes', async () => {
            const element = await mountWith(breakdownFixture);
            const trend = element.shadowRoot.querySelector('[data-id="trend-chart"]');
            expect(trend.getAttribute('aria-label')).toBe(
                'Behaviour score by week: 2026-W44 58, 2026-W45 60, 2026-W46 61, 2026-W47 64',
            );
            // Plot from x 40 to 464 and y 128 (score 0) to 28 (score 100): x steps of 424/3, y = 128 − score.
            expect(trend.querySelector('polyline').getAttribute('points')).toBe('40,70 181.3,68 322.7,67 464,64');
            const words = texts(trend, 'text');
            expect(words).toEqual(expect.arrayContaining(['0', '50', '100', '58', 'W44', '64', 'W47', 'Behaviour score (0–100)', 'ISO week']));
        });

        it('When the breakdown carries attainment, then the share of quota and the self-generated and inherited split show', async () => {
            const attainment = { quarter: '2026-Q4', quota: 59000, won: 59774, selfGenerated: 37950, inherited: 21824, attainment: 101.3, pipelineBuilt: 70671, warning: null };
            const element = await mountWith({ ...breakdownFixture, attainment });
            const root = element.shadowRoot;
            expect(root.querySelector('[data-id="attainment"] h3').textContent).toBe('Attainment, 2026-Q4');
            const percent = root.querySelector('[data-id="attainment-percent"]');
            expect(percent.value).toBeCloseTo(1.013);
            expect(percent.formatStyle).toBe('percent');
            expect(root.querySelector('[data-id="attainment-self"]').value).toBe(37950);
            expect(root.querySelector('[data-id="attainment-inherited"]').value).toBe(21824);
            expect(root.querySelector('[data-id="attainment-quota"]').value).toBe(59000);
            expect(root.querySelector('[data-id="attainment-pipeline"]').value).toBe(70671);
            await expect(element).toBeAccessible();
        });

        it('When there is no attainment, then no attainment section is drawn', async () => {
            const element = await mountWith(breakdownFixture);
            expect(element.shadowRoot.querySelector('[data-id="attainment"]')).toBeNull();
        });

        it('When the breakdown carries peer comparisons, then they show in words with numbers tidied', async () => {
            const comparisons = ['Behind peers on deals advanced with every gate met: 24.6 % against a peer median of 30.700000000000003 %', 'Ahead of peers on open pipeline: $173,200 against a peer median of $117,539.0'];
            const element = await mountWith({ ...breakdownFixture, comparisons });
            expect(texts(element.shadowRoot, '[data-id="comparison"]')).toEqual([
                'Behind peers on deals advanced with every gate met: 24.6 % against a peer median of 30.7 %',
                'Ahead of peers on open pipeline: $173,200 against a peer median of $117,539',
            ]);
        });

        it("When a signal has deals behind it, then each links to its deal by name once the names arrive; activities are counted", async () => {
            const withIds = JSON.parse(JSON.stringify(breakdownFixture));
            withIds.competencies[0].signals[0].recordIds = ['0065e00000QwErTAAV', '00T000000000MJlEAM', '00T000000000MJnEAM'];
            const element = await mountWith(withIds);
            expect(getRecords.getLastConfig().records).toEqual([{ recordIds: ['0065e00000QwErTAAV'], optionalFields: ['Opportunity.Name'] }]);
            getRecords.emit({ results: [{ statusCode: 200, result: { apiName: 'Opportunity', id: '0065e00000QwErTAAV', fields: { Name: { value: 'Acme – renewal', displayValue: null } } } }] });
            await flush();
            const cell = element.shadowRoot.querySelector('li.competency[data-key="pipeline"] tr.signal [data-id="signal-records"]');
            const link = cell.querySelector('[data-id="signal-deal"]');
            expect(link.textContent).toBe('Acme – renewal');
            expect(link.getAttribute('href')).toBe('/lightning/r/0065e00000QwErTAAV/view');
            expect(cell.textContent).toContain('2 activities');
        });

        it('When the rep has a diagnosis and focus, then both show with evidence, questions and data notes', async () => {
            const element = await mountWith(breakdownFixture);
            const root = element.shadowRoot;
            expect(root.querySelector('.diagnosis').textContent).toBe('Skill: effort at or above peers, conversion below');
            expect(texts(root, '.diagnosis-evidence')).toEqual(breakdownFixture.diagnosis.evidence);
            expect(root.querySelector('[data-id="coaching-questions"]').open).toBe(true);
            expect(root.querySelector('.focus-competency').textContent).toBe('Executive access');
            expect(root.querySelector('.focus-behaviour').textContent).toBe(breakdownFixture.focus.behaviour);
            expect(texts(root, '.focus-question')).toEqual(breakdownFixture.focus.coachingQuestions);
            expect(texts(root, '.flag')).toEqual(breakdownFixture.flags);
        });

        it('When the diagnosis is None below par on behaviours only, then the headline from the companion shows, not "at or above par"', async () => {
            const headline = 'Results at par; behind peers on behaviours (see the focus)';
            const element = await mountWith({ ...breakdownFixture, diagnosis: { kind: 'None', headline, evidence: ['Behaviour score 34 against a peer median of 49'] } });
            expect(element.shadowRoot.querySelector('.diagnosis').textContent).toBe(headline);
        });

        it('When the scorecard shows, then it is accessible', async () => {
            const element = await mountWith(breakdownFixture);
            await expect(element).toBeAccessible();
        });
    });

    describe('states', () => {
        it('When the peer group is not comparable, then the card says so and draws no median', async () => {
            const element = await mountWith({ ...breakdownFixture, peerGroup: { name: 'SE · North', size: 3, comparable: false } });
            const root = element.shadowRoot;
            expect(root.querySelector('.peers-too-small').textContent).toMatch(/too small to compare/);
            expect(root.querySelectorAll('.bar-median')).toHaveLength(0);
            expect(root.querySelector('svg.bar').getAttribute('aria-label')).toBe('Pipeline: score 71');
            expect(root.querySelector('.competency-table tbody tr').children[2].textContent).toBe('');
            await expect(element).toBeAccessible();
        });

        it('When the rep has no scorecard, then the card says not scored yet', async () => {
            const element = await mountWith(undefined);
            expect(element.shadowRoot.querySelector('.empty-state').textContent).toMatch(/No scorecard for this person: Stagecraft scores the people who own deals/);
            expect(element.shadowRoot.querySelectorAll('svg.bar')).toHaveLength(0);
            await expect(element).toBeAccessible();
        });

        it('When the breakdown is not JSON, then a readable message shows', async () => {
            const element = await mountWith('not json');
            expect(element.shadowRoot.querySelector('.breakdown-problem').textContent).toMatch(/cannot be read/);
        });

        it('When the breakdown has a newer version, then the card asks for an upgrade', async () => {
            const element = await mountWith({ ...breakdownFixture, v: 2 });
            expect(element.shadowRoot.querySelector('.breakdown-problem').textContent).toMatch(/newer version/);
        });

        it('When the wires have not answered, then a spinner shows', () => {
            const element = createElement('c-behaviour-scorecard', { is: BehaviourScorecard });
            element.recordId = USER_ID;
            document.body.appendChild(element);
            expect(element.shadowRoot.querySelector('lightning-spinner')).not.toBeNull();
        });

        it('When the scorecards cannot be loaded, then the error panel shows the message', async () => {
            const element = createElement('c-behaviour-scorecard', { is: BehaviourScorecard });
            element.recordId = USER_ID;
            document.body.appendChild(element);
            getRecord.emit(userFixture);
            getRelatedListRecords.error({ message: 'Rep_Scorecards__r is not a valid related list' });
            await flush();
            const panel = element.shadowRoot.querySelector('c-error-panel');
            expect(texts(panel.shadowRoot, '.error-message')).toEqual(['Rep_Scorecards__r is not a valid related list']);
            await expect(element).toBeAccessible();
        });

        it('When placed on an app page without a record, then it shows the current user', async () => {
            const element = createElement('c-behaviour-scorecard', { is: BehaviourScorecard });
            document.body.appendChild(element);
            await flush();
            expect(getRecord.getLastConfig().recordId).toBe('005000000000000000');
        });
    });
});
