// Preview stand-in for lightning/uiGraphQLApi: `gql` keeps the query text; the `graphql` adapter posts it to the
// companion and emits { data, errors } the way the platform's adapter does.
import { api, fetchingAdapter } from './http';

export function gql(strings, ...values) {
    return strings.reduce((text, part, i) => text + part + (i < values.length ? values[i] : ''), '');
}

export const graphql = fetchingAdapter(
    (config) => (config.query ? api('/api/ui/graphql', { method: 'POST', body: { query: config.query, variables: config.variables ?? {}, operationName: config.operationName } }) : null),
    // Like the platform's adapter: `errors` is undefined when there are none, and `refresh` re-runs the query.
    (data, error, refresh) => ({ data: data?.data ?? undefined, errors: error ? [{ message: error.body?.message ?? String(error) }] : data?.errors?.length ? data.errors : undefined, refresh }),
);

export function refreshGraphQL() {
    window.dispatchEvent(new CustomEvent('stagecraft:refresh'));
    return Promise.resolve();
}
