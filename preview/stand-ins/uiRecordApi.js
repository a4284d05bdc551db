// Preview stand-in for lightning/uiRecordApi: the same exports, backed by the companion's UI-API-shaped records.
import { api, fetchingAdapter, qualifiedName, requestRefresh } from './http';

const list = (fields) => (fields ? (Array.isArray(fields) ? fields : [fields]).map(qualifiedName) : []);

export const getRecord = fetchingAdapter((config) => {
    if (!config.recordId) return null;
    const query = new URLSearchParams();
    const fields = list(config.fields);
    const optional = list(config.optionalFields);
    if (fields.length) query.set('fields', fields.join(','));
    if (optional.length) query.set('optionalFields', optional.join(','));
    return `/api/ui/records/${encodeURIComponent(config.recordId)}?${query}`;
});

// getRecords: { records: [{ recordIds, fields, optionalFields }] } → { results: [{ statusCode, result }] }, as LDS emits.
export const getRecords = fetchingAdapter((config) => {
    const groups = (config.records ?? []).filter((g) => g.recordIds?.length);
    if (!groups.length) return null;
    return Promise.all(
        groups.map((g) => {
            const query = new URLSearchParams();
            const optional = [...list(g.fields), ...list(g.optionalFields)];
            if (optional.length) query.set('optionalFields', optional.join(','));
            return api(`/api/ui/records/batch/${g.recordIds.map(encodeURIComponent).join(',')}?${query}`);
        }),
    ).then((answers) => ({ results: answers.flatMap((a) => a.results) }));
});

function fieldOf(record, field) {
    if (!record) return undefined;
    const [, ...path] = qualifiedName(field).split('.');
    let node = record;
    for (let i = 0; i < path.length; i++) {
        const entry = node?.fields?.[path[i]];
        if (entry === undefined) return undefined;
        if (i === path.length - 1) return entry;
        node = entry.value;
    }
    return undefined;
}

export function getFieldValue(record, field) {
    return fieldOf(record, field)?.value;
}

export function getFieldDisplayValue(record, field) {
    const entry = fieldOf(record, field);
    return entry ? entry.displayValue ?? entry.value : undefined;
}

export async function createRecord(recordInput) {
    const record = await api('/api/ui/records', { method: 'POST', body: recordInput });
    return record;
}

export async function updateRecord(recordInput) {
    const { Id, ...fields } = recordInput.fields;
    const record = await api(`/api/ui/records/${encodeURIComponent(Id)}`, { method: 'PATCH', body: { fields } });
    requestRefresh();
    return record;
}

export async function deleteRecord(recordId) {
    await api(`/api/ui/records/${encodeURIComponent(recordId)}`, { method: 'DELETE' });
    requestRefresh();
}

export async function notifyRecordUpdateAvailable() {
    requestRefresh();
}

/** LDS's record-input helper: the fields of a record worth sending back. */
export function generateRecordInputForUpdate(record) {
    const fields = { Id: record.id };
    for (const [name, entry] of Object.entries(record.fields)) {
        if (entry && typeof entry.value !== 'object') fields[name] = entry.value;
    }
    return { fields };
}
