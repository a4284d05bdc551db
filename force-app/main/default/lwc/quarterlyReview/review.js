// Pure helpers for the quarterly review: which quarter it is, and the objectives joined with what was measured.
import NOT_MEASURED from '@salesforce/label/c.Stagecraft_Review_Not_Measured';

/** "2026-Q4" for a date in October–December 2026 (the browser's local calendar). */
export function quarterOf(date) {
    return `${date.getFullYear()}-Q${Math.floor(date.getMonth() / 3) + 1}`;
}

function parseArray(json) {
    if (!json) return [];
    try {
        const value = JSON.parse(json);
        return Array.isArray(value) ? value : null;
    } catch {
        return null;
    }
}

/**
 * @param {string|null} objectivesJson Objectives__c: [{ text, signal, target }]
 * @param {string|null} actualsJson Measured_Actuals__c: [{ signal, label, value, target }]
 * @returns {{rows: object[], unreadable: boolean}} one row per objective, with the measured actual when it has a signal
 */
export function objectiveRows(objectivesJson, actualsJson) {
    const objectives = parseArray(objectivesJson);
    const actuals = parseArray(actualsJson);
    if (objectives === null || actuals === null) {
        return { rows: [], unreadable: true };
    }
    const bySignal = new Map(actuals.filter((a) => a && a.signal).map((a) => [a.signal, a]));
    const rows = objectives.map((o, index) => {
        const actual = o.signal ? bySignal.get(o.signal) : undefined;
        return {
            key: `${index}`,
            text: o.text,
            measure: actual ? actual.label : NOT_MEASURED,
            actual: actual ? actual.value : null,
            target: o.target ?? actual?.target ?? null,
        };
    });
    return { rows, unreadable: false };
}

/**
 * The quarter's coaching plans the companion measured into Measured_Actuals__c (entries of kind "plan"), split into
 * what worked and what did not; plans still too early to judge are in neither.
 * @param {string|null} actualsJson Measured_Actuals__c
 * @returns {{worked: object[], didNotWork: object[]}}
 */
export function planResults(actualsJson) {
    const actuals = parseArray(actualsJson) ?? [];
    const plans = actuals.filter((a) => a && a.kind === 'plan');
    const line = (a) => ({ key: a.signal, label: a.label, detail: a.detail ?? '' });
    return { worked: plans.filter((a) => a.worked === true).map(line), didNotWork: plans.filter((a) => a.worked === false).map(line) };
}
