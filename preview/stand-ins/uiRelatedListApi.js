// Preview stand-in for lightning/uiRelatedListApi: related records from the companion's UI-API-shaped endpoint.
import { fetchingAdapter, qualifiedName } from './http';

export const getRelatedListRecords = fetchingAdapter((config) => {
    if (!config.parentRecordId || !config.relatedListId) return null;
    const query = new URLSearchParams();
    const fields = [...(config.fields ?? []), ...(config.optionalFields ?? [])].map(qualifiedName);
    if (fields.length) query.set('fields', fields.join(','));
    if (config.pageSize) query.set('pageSize', String(config.pageSize));
    if (config.sortBy?.length) query.set('sortBy', config.sortBy.map(qualifiedName).join(','));
    return `/api/ui/related-list-records/${encodeURIComponent(config.parentRecordId)}/${encodeURIComponent(config.relatedListId)}?${query}`;
});
