// The analytics page's charts, drawn from the companion's analytics API: stage conversion funnel, milestone win rates
// met vs missed with 95 % intervals, new-hire ramp curves by start cohort, and the team behaviour heat map. Inline SVG,
// each with role="img", an aria-label that says what it shows, and the same numbers as a table.
import { LightningElement } from 'lwc';
import { api as callApi, REFRESH_EVENT } from 'preview/api';

const pct = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`);
const money = (n) => `$${Math.round(n).toLocaleString('en-US')}`;
const WIDTH = 760;
const MILESTONES_SHOWN = 12;
const COHORTS_SHOWN = 4;
const RAMP_METRICS = [
    { key: 'conversations', label: 'Meaningful conversations' },
    { key: 'opportunities', label: 'Self-generated opportunities' },
    { key: 'advanced', label: 'Deals advanced to a mid stage' },
];
const COHORT_COLOURS = ['#0176d3', '#2e844a', '#dd7a01', '#9050e9'];

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above `value`: an axis that ends on a round number. */
export function niceCeiling(value) {
    if (!(value > 0)) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    return [1, 2, 2.5, 5, 10].map((m) => m * power).find((n) => n >= value);
}

/** Score 0–100 → a blue from pale to deep, and a text colour that keeps contrast on it. */
function heat(score) {
    const t = Math.max(0, Math.min(100, score ?? 0)) / 100;
    const light = Math.round(95 - t * 62);
    return { fill: `hsl(210, 80%, ${light}%)`, text: light < 55 ? '#ffffff' : '#181818' };
}

export default class Analytics extends LightningElement {
    conversion;
    backtest;
    ramp;
    heatmap;
    error;
    rampMetric = 'conversations';

    connectedCallback() {
        this.onRefresh = () => this.load();
        window.addEventListener(REFRESH_EVENT, this.onRefresh);
        this.load();
    }
    disconnectedCallback() {
        window.removeEventListener(REFRESH_EVENT, this.onRefresh);
    }

    async load() {
        try {
            const [conversion, backtest, ramp, heatmap] = await Promise.all(
                ['conversion', 'backtest', 'ramp', 'heatmap'].map((name) => callApi(`/api/analytics/${name}`)),
            );
            Object.assign(this, { conversion, backtest, ramp, heatmap, error: undefined });
        } catch (error) {
            this.error = error.body?.message ?? String(error);
        }
    }

    get loaded() {
        return !!(this.conversion && this.backtest && this.ramp && this.heatmap);
    }
    get asOfText() {
        return this.conversion ? `As of ${new Date(this.conversion.asOf).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' })}` : '';
    }

    // ---- Funnel -------------------------------------------------------------------------------------------------
    get process() {
        return this.conversion.processes[0];
    }
    get conversionMessage() {
        return this.process?.message ?? 'No closed deals yet';
    }
    get headlines() {
        return this.process?.headlines.map((text, i) => ({ key: i, text })) ?? [];
    }
    get funnel() {
        const stages = this.process?.stages ?? [];
        const max = Math.max(1, ...stages.map((s) => s.reached));
        const row = 34;
        const labelWidth = 190;
        const barSpace = WIDTH - labelWidth - 150;
        const bars = stages.map((s, i) => {
            const width = Math.max(2, (s.reached / max) * barSpace);
            return {
                key: s.stage,
                y: i * row,
                labelY: i * row + 21,
                barX: labelWidth + (barSpace - width) / 2,
                width,
                stage: s.stage,
                valueX: labelWidth + barSpace + 10,
                value: `${s.reached.toLocaleString('en-US')} · wins ${pct(s.winRate)}`,
                fill: `hsl(210, 75%, ${70 - (i / Math.max(1, stages.length - 1)) * 35}%)`,
                reached: s.reached.toLocaleString('en-US'),
                won: s.won.toLocaleString('en-US'),
                winRate: pct(s.winRate),
                interval: s.interval ? `${pct(s.interval.low)}–${pct(s.interval.high)}` : '–',
                days: s.medianDaysWon ?? '–',
                open: s.openDeals.toLocaleString('en-US'),
                openValue: money(s.openValue),
            };
        });
        const first = stages[0];
        const last = stages[stages.length - 1];
        return {
            height: stages.length * row + 4,
            viewBox: `0 0 ${WIDTH} ${stages.length * row + 4}`,
            bars,
            label: first && last
                ? `Stage conversion funnel for ${this.process.process}: of ${first.reached} closed deals, ${last.reached} reached ${last.stage}; win rate rises from ${pct(first.winRate)} at ${first.stage} to ${pct(last.winRate)} at ${last.stage}.`
                : 'Stage conversion funnel: no closed deals yet.',
        };
    }

    // ---- Milestone lift -----------------------------------------------------------------------------------------
    get milestones() {
        return (this.backtest?.milestones ?? []).filter((m) => m.met.deals > 0 && m.missed.deals > 0).slice(0, MILESTONES_SHOWN);
    }
    get lift() {
        const labelWidth = 300;
        const plot = WIDTH - labelWidth - 70;
        const x = (p) => labelWidth + p * plot;
        const row = 30;
        const rows = this.milestones.map((m, i) => {
            const y = i * row + 30;
            const side = (g, dy) => ({
                cx: x(g.winRate ?? 0),
                cy: y + dy,
                x1: x(g.interval?.low ?? 0),
                x2: x(g.interval?.high ?? 0),
            });
            return {
                key: `${m.process}|${m.stage}|${m.key}`,
                labelY: y + 4,
                label: m.label.length > 44 ? `${m.label.slice(0, 43)}…` : m.label,
                met: side(m.met, -5),
                missed: side(m.missed, 5),
                liftX: WIDTH - 60,
                liftText: m.liftText ?? (m.lift === null ? '–' : `×${m.lift}`),
                mark: m.predictive ? '★' : '',
                name: m.label,
                stage: m.stage,
                metRate: `${pct(m.met.winRate)} (${pct(m.met.interval?.low)}–${pct(m.met.interval?.high)}; n=${m.met.deals})`,
                missedRate: `${pct(m.missed.winRate)} (${pct(m.missed.interval?.low)}–${pct(m.missed.interval?.high)}; n=${m.missed.deals})`,
                verdict: m.verdict,
            };
        });
        const height = rows.length * row + 50;
        const ticks = [0, 0.25, 0.5, 0.75, 1].map((p) => ({ key: p, x: x(p), label: `${p * 100} %`, y2: height - 18, labelY: height - 4 }));
        const predictive = this.milestones.filter((m) => m.predictive).length;
        return {
            viewBox: `0 0 ${WIDTH} ${height}`,
            height,
            rows,
            ticks,
            liftHeaderX: WIDTH - 60,
            label: rows.length
                ? `Win rate when each milestone was met (filled) and missed (hollow), with 95 % intervals, for the ${rows.length} milestones with the highest lift; ${predictive} separate winners from losers.`
                : 'Milestone win rates: not enough closed deals on both sides yet.',
        };
    }
    get backtestMessage() {
        return this.backtest?.message;
    }

    // ---- Ramp ---------------------------------------------------------------------------------------------------
    get rampMetrics() {
        return RAMP_METRICS.map((m) => ({ ...m, className: `slds-button ${m.key === this.rampMetric ? 'slds-button_brand' : 'slds-button_neutral'}`, pressed: m.key === this.rampMetric ? 'true' : 'false' }));
    }
    get rampMetricLabel() {
        return RAMP_METRICS.find((m) => m.key === this.rampMetric).label;
    }
    handleRampMetric(event) {
        this.rampMetric = event.currentTarget.dataset.metric;
    }
    get cohorts() {
        return (this.ramp?.cohorts ?? []).slice(-COHORTS_SHOWN);
    }
    get rampChart() {
        const left = 50;
        const right = 220;
        const top = 22;
        const height = 260;
        const plotW = WIDTH - left - right;
        const plotH = height - top - 40;
        const weeks = Math.max(1, ...this.cohorts.map((c) => c.curve.length - 1));
        const max = niceCeiling(Math.max(0, ...this.cohorts.flatMap((c) => c.curve.map((p) => p[this.rampMetric]))));
        const x = (w) => left + (w / weeks) * plotW;
        const y = (v) => top + plotH - (v / max) * plotH;
        // A cohort with nothing recorded for this measure has no curve to draw: a flat zero line would read as "none done".
        const drawn = (c) => c.curve.some((p) => p[this.rampMetric] > 0);
        const lines = this.cohorts.map((c, i) => {
            const last = c.curve[c.curve.length - 1];
            const empty = !drawn(c);
            return {
                key: c.month,
                empty,
                points: empty ? '' : c.curve.map((p) => `${x(p.week).toFixed(1)},${y(p[this.rampMetric]).toFixed(1)}`).join(' '),
                colour: COHORT_COLOURS[i % COHORT_COLOURS.length],
                legendY: top + 14 + i * 20,
                legendX: WIDTH - right + 16,
                legendText: `${c.month} (${c.reps.length} rep${c.reps.length === 1 ? '' : 's'})${empty ? ': no data' : ''}`,
                atEnd: last ? last[this.rampMetric] : 0,
            };
        });
        const yTicks = [0, 0.5, 1].map((f) => ({ key: f, y: y(max * f), labelY: y(max * f) + 4, label: (max * f).toLocaleString(undefined, { maximumFractionDigits: 1 }), x1: left, x2: left + plotW }));
        const xTicks = [0, Math.round(weeks / 2), weeks].map((w) => ({ key: w, x: x(w), label: `${w}`, y: height - 24 }));
        return {
            viewBox: `0 0 ${WIDTH} ${height}`,
            lines,
            yTicks,
            xTicks,
            yTitle: `${this.rampMetricLabel} per rep, cumulative`,
            xTitle: 'Weeks since start',
            xTitleX: left + plotW / 2,
            xTitleY: height - 6,
            label: lines.some((l) => !l.empty)
                ? `${this.rampMetricLabel} per rep, cumulative by week since start, for the ${lines.length} most recent start cohorts: ${lines.map((l) => (l.empty ? `${l.key} has no data for this measure` : `${l.key} reaches ${l.atEnd} by week ${weeks}`)).join('; ')}.`
                : 'Ramp curves: no reps with a start date yet.',
        };
    }
    get rampReps() {
        return this.cohorts.flatMap((c) =>
            c.reps.map((r) => ({
                key: r.repId,
                cohort: c.month,
                name: r.name,
                start: r.startDate,
                weeks: this.ramp.milestones.map((m) => ({ key: m.key, value: r.weeks[m.key] ?? '–' })),
                pace: r.pace,
            })),
        );
    }
    get rampColumns() {
        return this.ramp?.milestones ?? [];
    }

    // ---- Heat map -----------------------------------------------------------------------------------------------
    get heat() {
        const labelWidth = 210;
        const cell = (WIDTH - labelWidth - 70) / this.heatmap.competencies.length;
        const row = 26;
        let y = 44;
        const groups = this.heatmap.teams.map((team) => {
            const header = { y: y + 16, text: `Team ${team.manager}` };
            y += 24;
            const reps = team.reps.map((r) => {
                const rowY = y;
                y += row;
                return {
                    key: r.repId,
                    labelY: rowY + 17,
                    name: r.name,
                    href: `/user/${r.repId}`,
                    cells: this.heatmap.competencies.map((c, i) => {
                        const score = r.scores[c.key];
                        const colour = heat(score);
                        return { key: c.key, x: labelWidth + i * cell, y: rowY, w: cell - 2, h: row - 2, fill: colour.fill, textColour: colour.text, tx: labelWidth + i * cell + cell / 2, ty: rowY + 17, text: score ?? '–' };
                    }),
                    compositeX: WIDTH - 35,
                    composite: r.composite,
                };
            });
            y += 6;
            return { key: team.managerId ?? 'none', header, reps };
        });
        const columns = this.heatmap.competencies.map((c, i) => ({ key: c.key, x: labelWidth + i * cell + cell / 2, label: c.label.replace(' quality', '').replace('Stakeholder engagement', 'Stakeholders').replace('Account coverage', 'Coverage').replace('Executive access', 'Executive').replace('Growth mindset', 'Growth') }));
        const reps = this.heatmap.teams.flatMap((t) => t.reps);
        const weakest = this.heatmap.competencies
            .map((c) => ({ label: c.label, low: reps.filter((r) => (r.scores[c.key] ?? 100) < 40).length }))
            .sort((a, b) => b.low - a.low)[0];
        return {
            viewBox: `0 0 ${WIDTH} ${y}`,
            groups,
            columns,
            compositeX: WIDTH - 35,
            label: reps.length
                ? `Behaviour scores, 0 to 100 against peers, for ${reps.length} reps in ${groups.length} teams across ${columns.length} competencies; darker is stronger. ${weakest.low} reps score below 40 on ${weakest.label}.`
                : 'Behaviour heat map: no reps scored yet.',
        };
    }
    get heatRows() {
        return this.heatmap.teams.flatMap((t) =>
            t.reps.map((r) => ({ key: r.repId, href: `/user/${r.repId}`, team: t.manager, name: r.name, composite: r.composite, diagnosis: r.diagnosis, scores: this.heatmap.competencies.map((c) => ({ key: c.key, value: r.scores[c.key] ?? '–' })) })),
        );
    }

    // Rep names open the rep's page: links in the table (keyboard and screen readers), a click on the chart's label.
    handleOpenRep(event) {
        event.preventDefault();
        const href = event.currentTarget.dataset.href ?? event.currentTarget.getAttribute('href');
        window.dispatchEvent(new CustomEvent('stagecraft:navigate', { detail: { url: href } }));
    }
}
