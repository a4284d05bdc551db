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
/** Trend chart drawing box (SVG user units) and the plot inside it, leaving room for the axes' labels; scores are 0–100. */
const TREND_WIDTH = 480;
const TREND_HEIGHT = 160;
const PLOT = { left: 40, right: 464, top: 28, bottom: 128 };
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
                // Whole dollars; one decimal for the rest (a median of 56.5 deals is real, $121,064.5 is noise).
                digits: value.style === 'currency' ? 0 : 1,
                weight: s.weight,
                contribution: s.contribution,
                recordIds: Array.isArray(s.recordIds) ? s.recordIds : [],
            };
        }),
    }));
}

const round1 = (n) => Math.round(n * 10) / 10;

/**
 * The trend chart, oldest week first: the line's points, a dot and value per week, the weeks on the x axis and
 * 0 / 50 / 100 on the y axis, in a TREND_WIDTH × TREND_HEIGHT box.
 */
export function trendLine(trend) {
    const n = trend.length;
    const step = n > 1 ? (PLOT.right - PLOT.left) / (n - 1) : 0;
    const y = (score) => round1(PLOT.bottom - (clamp(score) / 100) * (PLOT.bottom - PLOT.top));
    const dots = trend.map((t, i) => ({ key: t.period, x: round1(PLOT.left + i * step), y: y(t.score), labelY: y(t.score) - 6, score: t.score, period: t.period.replace(/^\d{4}-/, '') }));
    const ticks = [0, 50, 100].map((v) => ({ key: `y${v}`, value: v, y: y(v), labelY: y(v) + 4 }));
    const spoken = trend.map((t) => `${t.period} ${t.score}`).join(', ');
    return {
        points: dots.map((d) => `${d.x},${d.y}`).join(' '),
        dots,
        ticks,
        plot: { ...PLOT, axisLabelY: TREND_HEIGHT - 4, weekLabelY: PLOT.bottom + 16, midX: (PLOT.left + PLOT.right) / 2 },
        viewBox: `0 0 ${TREND_WIDTH} ${TREND_HEIGHT}`,
        ariaLabel: formatLabel(TREND_ARIA, spoken),
    };
}

/** Numbers inside the engine's sentences, for people: 49.599999999999994 → 49.6, $117,539.0 → $117,539. */
export function tidyNumbers(text) {
    return String(text ?? '')
        .replace(/\d+\.\d{2,}/g, (n) => String(round1(Number(n))))
        .replace(/(\d)\.0\b/g, '$1');
}

/** Attainment in context: the share of quota, and how much of what was won the rep generated or inherited. */
export function attainmentView(attainment) {
    if (!isObject(attainment) || typeof attainment.attainment !== 'number') return null;
    const won = Number(attainment.won) || 0;
    const share = (part) => (won > 0 ? clamp((Number(part) / won) * 100) : 0);
    return {
        quarter: attainment.quarter,
        percent: attainment.attainment / 100,
        quota: attainment.quota,
        won: attainment.won,
        selfGenerated: attainment.selfGenerated,
        inherited: attainment.inherited,
        pipelineBuilt: attainment.pipelineBuilt,
        selfShare: `width: ${share(attainment.selfGenerated)}%`,
        inheritedShare: `width: ${share(attainment.inherited)}%`,
        warning: attainment.warning ?? null,
    };
}
