import { createElement } from 'lwc';
import StagecraftAnalytics from 'c/stagecraftAnalytics';
import { graphql } from 'lightning/graphql';

const statsFixture = require('./data/graphql.json');
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function mount() {
    const element = createElement('c-stagecraft-analytics', { is: StagecraftAnalytics });
    document.body.appendChild(element);
    return element;
}

describe('c-stagecraft-analytics', () => {
    afterEach(() => {
        while (document.body.firstChild) {
            document.body.removeChild(document.body.firstChild);
        }
    });

    it('When milestone stats exist, then the summary counts them and each row shows lift, win rates and sample size', async () => {
        const element = mount();
        graphql.emit(statsFixture);
        await flush();
        const root = element.shadowRoot;
        expect(root.querySelector('.computed-by').textContent).toMatch(/^Analytics are computed by the companion/);
        expect(root.querySelector('.summary').textContent).toBe('2 milestones evaluated; 1 predict wins.');
        const rows = [...root.querySelectorAll('tr.stat-row')];
        expect(rows.map((r) => r.querySelector('th').textContent)).toEqual(['Buying committee mapped', 'Next step set']);
        expect(rows[0].querySelector('td').textContent).toBe('Standard · Qualification');
        expect(rows[0].querySelector('.lift').value).toBe(2.18);
        expect(rows[0].querySelector('.win-rate-met').value).toBeCloseTo(0.412);
        expect(rows[0].querySelector('.win-rate-missed').value).toBeCloseTo(0.189);
        expect(rows[0].querySelector('.sample-size').textContent).toBe('214');
        expect(rows.map((r) => r.querySelector('.predictive').textContent)).toEqual(['Yes', 'No']);
        await expect(element).toBeAccessible();
    });

    it('When no milestone has been evaluated, then the empty state shows', async () => {
        const element = mount();
        graphql.emit({ uiapi: { query: { Gate_Milestone__c: { edges: [] } } } });
        await flush();
        expect(element.shadowRoot.querySelector('.empty-state').textContent).toMatch(/No milestone statistics yet/);
        expect(element.shadowRoot.querySelector('table')).toBeNull();
        await expect(element).toBeAccessible();
    });

    it('When the query fails, then the error panel shows', async () => {
        const element = mount();
        graphql.emitErrors([{ message: 'Gate_Milestone__c is not supported by UI API' }]);
        await flush();
        const panel = element.shadowRoot.querySelector('c-error-panel');
        expect(panel.shadowRoot.querySelector('.error-message').textContent).toBe('Gate_Milestone__c is not supported by UI API');
        await expect(element).toBeAccessible();
    });
});
