// Reads the scorecard breakdown JSON (Rep_Scorecard__c.Score_Breakdown__c, version 1) defensively and turns it into
// what the template draws: bar geometry, the sparkline's points and the aria-labels. No scoring happens here.
import { formatLabel } from 'c/ldsUtils';
import UNREADABLE from '@salesforce/label/c.Stagecraft_Scorecard_Unreadable';
import NEWER from '@salesforce/label/c.Stagecraft_Scorecard_Newer';
import BAR_ARIA from '@salesforce/label/c.Stagecraft_Scorecard_Bar_Aria';
import BAR_ARIA_NO_PEERS from '@salesforce/label/c.Stagecraft_Scorecard_Bar_Aria_No_Peers';
import TREND_ARIA from '@salesforce/label/c.Stagecraft_Scorecard_Trend_Aria';
import UNIT_DEALS from '@salesforce/label/c.Stagecraft_Unit_Deals';
import UNIT_CONTACTS from '@salesforce/label/c.Stagecraft_Unit_Contacts';
import UNIT_DAYS from '@salesforce/label/c.Stagecraft_Unit_Days';

export const BREAKDOWN_VERSION = 1;
/** Sparkline drawing box (SVG user units); scores are 0–100. */
const TREND_WIDTH = 200;
const TREND_HEIGHT = 40;
const UNIT_SUFFIX = { deals: UNIT_DEALS, contacts: UNIT_CONTACTS, days: UNIT_DAYS, count: '' };

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const clamp = (n) => Math.max(0, Math.min(100, Number(n) || 0));

/**
 * @param {string|null|undefined} json the Score_Breakdown__c value
 * @returns {{empty: boolean, problem: string|null, breakdown: object|null}}
 */
export function parseBreakdown(json) {
    if (json === null || json === undefined || String(json).trim() === '') {
        return { empty: true, problem: null, breakdown: null };
    }
    let value;
    try {
        value = JSON.parse(json);
    } catch {
        return { empty: false, problem: UNREADABLE, breakdown: null };
    }
    if (isObject(value) && typeof value.v === 'number' && value.v > BREAKDOWN_VERSION) {
        return { empty: false, problem: NEWER, breakdown: null };
    }
    if (!isObject(value) || value.v !== BREAKDOWN_VERSION || !Array.isArray(value.competencies)) {
        return { empty: false, problem: UNREADABLE, breakdown: null };
    }
    return {
        empty: false,
        problem: null,
        breakdown: { trend: [], flags: [], peerGroup: { comparable: false }, ...value },
    };
}

function formatFor(unit, value) {
    if (unit === '$') return { value, style: 'currency', suffix: '' };
    if (unit === '%') return { value: value === null ? null : value / 100, style: 'percent', suffix: '' };
    return { value, style: 'decimal', suffix: UNIT_SUFFIX[unit] ?? '' };
}

/** The competencies with what each bar and signal row needs. */
export function competencyRows(breakdown) {
    const comparable = breakdown.peerGroup.comparable === true;
    return breakdown.competencies.map((c) => ({
        key: c.key,
        label: c.label,
        score: c.score,
        peerMedian: comparable ? c.peerMedian : null,
        barWidth: clamp(c.score),
        medianX: clamp(c.peerMedian),
        showMedian: comparable && typeof c.peerMedian === 'number',
        ariaLabel: comparable
            ? formatLabel(BAR_ARIA, c.label, c.score, c.peerMedian)
            : formatLabel(BAR_ARIA_NO_PEERS, c.label, c.score),
        signals: (c.signals ?? []).map((s) => {
            const value = formatFor(s.unit, s.value);
            const median = formatFor(s.unit, comparable ? s.peerMedian : null);
            return {
                key: s.key,
                label: s.label,
                value: value.value,
                peerMedian: median.value,
                hasPeerMedian: median.value !== null && median.value !== undefined,
                style: value.style,
                suffix: value.suffix,
                weight: s.weight,
                contribution: s.contribution,
            };
        }),
    }));
}

/** The sparkline: polyline points in a TREND_WIDTH × TREND_HEIGHT box, oldest period first. */
export function trendLine(trend) {
    const n = trend.length;
    const step = n > 1 ? TREND_WIDTH / (n - 1) : 0;
    const points = trend
        .map((t, i) => `${Math.round(i * step * 10) / 10},${Math.round((TREND_HEIGHT - (clamp(t.score) / 100) * TREND_HEIGHT) * 10) / 10}`)
        .join(' ');
    const spoken = trend.map((t) => `${t.period} ${t.score}`).join(', ');
    return { points, viewBox: `0 0 ${TREND_WIDTH} ${TREND_HEIGHT}`, ariaLabel: formatLabel(TREND_ARIA, spoken) };
}
