// The preview's one way to the companion API. Errors become the shape Lightning Data Service rejects with
// ({ status, statusText, body: { message } }), so components' reduceErrors works unchanged.
const TOKEN_KEY = 'stagecraft.apiToken';

/** The API token, when the companion needs one: given once as ?token=… and kept for the tab's session. */
function token() {
    const url = new URL(window.location.href);
    const given = url.searchParams.get('token');
    if (given) {
        sessionStorage.setItem(TOKEN_KEY, given);
        url.searchParams.delete('token');
        window.history.replaceState(window.history.state, '', url.toString());
    }
    return sessionStorage.getItem(TOKEN_KEY);
}

export async function api(path, { method = 'GET', body } = {}) {
    const headers = { accept: 'application/json' };
    const t = token();
    if (t) headers.authorization = `Bearer ${t}`;
    // Who is acting, as the platform knows its running user (attestations record their author from it).
    const user = window.localStorage.getItem('stagecraft.userId');
    if (user) headers['x-stagecraft-user'] = user;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const payload = await response.json().catch(() => null);
    if (!response.ok) {
        // UI API routes answer in the UI API's own error shapes (an Error with Output, or a list of errors): pass them
        // through as LDS does; the companion's other routes answer { error: { name, message } }.
        const companion = payload && typeof payload === 'object' && !Array.isArray(payload) && payload.error;
        const body = companion ? { message: payload.error.message ?? response.statusText, errorCode: payload.error.name } : payload ?? { message: response.statusText };
        throw { status: response.status, statusText: response.statusText, ok: false, body };
    }
    return payload;
}

/** Components re-read their data on this event: after a sync, or after a record they show changed. */
export const REFRESH_EVENT = 'stagecraft:refresh';

export function requestRefresh() {
    window.dispatchEvent(new CustomEvent(REFRESH_EVENT));
}

/**
 * A wire adapter that fetches on every config change and on refresh, emitting { data, error } like LDS.
 * `shape(data, error, refresh)` builds the emitted value; `refresh` re-fetches and resolves when the new value is out.
 */
export function fetchingAdapter(load, shape = (data, error) => ({ data, error })) {
    return class {
        constructor(dataCallback) {
            this.dataCallback = dataCallback;
            this.config = undefined;
            this.serial = 0;
            this.onRefresh = () => this.fetch();
            this.refresh = () => this.fetch();
            this.emitted = false;
        }
        update(config) {
            this.config = config;
            this.fetch();
        }
        connect() {
            // Like LDS: the wired property holds { data: undefined, error: undefined } until the first answer.
            if (!this.emitted) this.dataCallback(shape(undefined, undefined, this.refresh));
            window.addEventListener(REFRESH_EVENT, this.onRefresh);
        }
        disconnect() {
            window.removeEventListener(REFRESH_EVENT, this.onRefresh);
        }
        async fetch() {
            const path = this.config && load(this.config);
            if (!path) return;
            const serial = ++this.serial;
            try {
                const data = await (typeof path === 'string' ? api(path) : path);
                this.emitted = true;
                if (serial === this.serial) this.dataCallback(shape(data, undefined, this.refresh));
            } catch (error) {
                if (serial === this.serial) this.dataCallback(shape(undefined, error, this.refresh));
            }
        }
    };
}

/** `Opportunity.Gate_Status__c` from a field import ({ objectApiName, fieldApiName }) or a string. */
export function qualifiedName(field) {
    return typeof field === 'string' ? field : `${field.objectApiName}.${field.fieldApiName}`;
}
