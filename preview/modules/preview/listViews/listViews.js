// List views as the package defines them (force-app listViews metadata): the same columns and filters, evaluated by the
// companion over the embedded org; sorted by any column, narrowed by owner scope and search, with page and sort in the
// URL so a reload or a shared link shows the same rows.
import { LightningElement, api } from 'lwc';
import { api as callApi, REFRESH_EVENT } from 'preview/api';
import CURRENT_USER_ID from '@salesforce/user/Id';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 300;
const OPERATION_WORDS = {
    equals: 'is',
    notEqual: 'is not',
    lessThan: 'is less than',
    greaterThan: 'is greater than',
    lessOrEqual: 'is at most',
    greaterOrEqual: 'is at least',
    contains: 'contains',
    notContain: 'does not contain',
    startsWith: 'starts with',
    includes: 'includes',
    excludes: 'excludes',
};
const SCOPES = [
    { value: 'everything', label: 'All records' },
    { value: 'mine', label: 'Mine', needsUser: true },
    { value: 'team', label: "My team's", needsUser: true },
];
// Where a row's first column leads: the preview has pages for deals and people.
const ROW_LINKS = {
    Opportunity: (r) => `/opportunity/${r.Id}`,
    Rep_Scorecard__c: (r) => `/user/${r.Rep__c}`,
    Quarterly_Review__c: (r) => `/user/${r.Rep__c}`,
    Milestone_Attestation__c: (r) => `/opportunity/${r.Opportunity__c}`,
};
const LOOKUPS = new Set(['Lookup', 'MasterDetail']);
// Long sentences get the room; the full text of any cell is on hover.
const WIDE = new Set(['Next_Best_Action__c', 'Coaching_Focus__c', 'Note__c']);
const lookupPath = (field) => (field.endsWith('__c') ? `${field.slice(0, -1)}r.Name` : `${field.replace(/Id$/, '')}.Name`);
const pretty = (value) => String(value).replace(/_/g, ' ');

/** One filter in words: "Closed is false", "Deal Risk Flags includes Single Threaded". */
export function filterInWords(filter, field) {
    const label = field?.label ?? filter.field;
    const op = OPERATION_WORDS[filter.operation] ?? filter.operation;
    let value = filter.value ?? '';
    if (field?.type === 'Checkbox') value = value === '1' || value.toLowerCase() === 'true' ? 'true' : 'false';
    else if (value === '') value = 'blank';
    else value = value.split(',').map((v) => v.split(';').map(pretty).join(' and ')).join(' or ');
    return `${label} ${op} ${value}`;
}

export default class ListViews extends LightningElement {
    @api objectApiName;
    @api listViewName;
    views = [];
    result;
    error;
    offset = 0;
    sortBy;
    sortDir = 'asc';
    search = '';
    scope;
    loading = false;

    async connectedCallback() {
        this.onRefresh = () => this.load();
        window.addEventListener(REFRESH_EVENT, this.onRefresh);
        this.readUrl();
        try {
            this.views = (await callApi('/api/list-views')).listViews;
            if (!this.selected) {
                // Deals first: the list views reps and managers open most.
                const first = this.views.find((v) => v.available && v.object === 'Opportunity') ?? this.views.find((v) => v.available);
                if (first) this.select(first.object, first.name);
            } else {
                this.load();
            }
        } catch (error) {
            this.error = error.body?.message ?? String(error);
        }
    }
    disconnectedCallback() {
        window.removeEventListener(REFRESH_EVENT, this.onRefresh);
        clearTimeout(this.timer);
    }

    /** Page, sort, scope and search from the address: a reload keeps them. */
    readUrl() {
        const q = new URLSearchParams(window.location.search);
        const page = Math.max(1, Number.parseInt(q.get('page') ?? '1', 10) || 1);
        this.offset = (page - 1) * PAGE_SIZE;
        this.sortBy = q.get('sortBy') ?? undefined;
        this.sortDir = q.get('sortDir') === 'desc' ? 'desc' : 'asc';
        this.search = q.get('q') ?? '';
        this.scope = q.get('scope') ?? undefined;
    }
    get url() {
        const q = new URLSearchParams();
        if (this.offset) q.set('page', String(this.offset / PAGE_SIZE + 1));
        if (this.sortBy) {
            q.set('sortBy', this.sortBy);
            q.set('sortDir', this.sortDir);
        }
        if (this.search) q.set('q', this.search);
        if (this.scope) q.set('scope', this.scope);
        const query = q.toString();
        return `/list/${this.objectApiName}/${this.listViewName}${query ? `?${query}` : ''}`;
    }
    writeUrl() {
        if (`${window.location.pathname}${window.location.search}` !== this.url) window.history.replaceState({}, '', this.url);
    }

    get selected() {
        return this.views.find((v) => v.object === this.objectApiName && v.name === this.listViewName);
    }
    get navItems() {
        return this.views.map((v) => {
            const active = v.object === this.objectApiName && v.name === this.listViewName;
            return {
                key: `${v.object}.${v.name}`,
                object: v.object,
                name: v.name,
                label: v.label,
                href: `/list/${v.object}/${v.name}`,
                available: v.available,
                className: `slds-nav-vertical__item${active ? ' slds-is-active' : ''}`,
                current: active ? 'page' : null,
            };
        });
    }
    get columns() {
        return (this.result?.listView.columns ?? []).map((c) => {
            const sorted = this.result.sortBy === c.apiName;
            return {
                key: c.apiName,
                label: c.label,
                ariaSort: sorted ? (this.sortDir === 'desc' ? 'descending' : 'ascending') : 'none',
                icon: sorted ? (this.sortDir === 'desc' ? 'utility:arrowdown' : 'utility:arrowup') : null,
                title: `Sort by ${c.label}`,
                className: `slds-is-sortable col-${c.type.toLowerCase()}${WIDE.has(c.apiName) ? ' col-wide' : ''}${c.apiName === 'Name' ? ' col-name' : ''}`,
            };
        });
    }
    get rows() {
        if (!this.result) return [];
        const columns = this.result.listView.columns;
        const link = ROW_LINKS[this.objectApiName];
        return this.result.records.map((record) => ({
            key: record.Id,
            cells: columns.map((c, i) => {
                const lookup = LOOKUPS.has(c.type);
                const value = lookup ? (record[lookupPath(c.apiName)] ?? record[c.apiName] ?? '') : this.format(c, record[c.apiName]);
                let href = null;
                if (i === 0 && link) href = link(record);
                else if (lookup && record[c.apiName] && String(record[c.apiName]).startsWith('005')) href = `/user/${record[c.apiName]}`;
                return { key: c.apiName, value, link: href, numeric: ['Number', 'Currency', 'Percent'].includes(c.type) ? 'slds-truncate slds-text-align_right' : 'slds-truncate' };
            }),
        }));
    }
    get summary() {
        if (!this.result) return '';
        const last = Math.min(this.offset + PAGE_SIZE, this.result.total);
        const page = this.offset / PAGE_SIZE + 1;
        const pages = Math.max(1, Math.ceil(this.result.total / PAGE_SIZE));
        return this.result.total === 0 ? '0 items' : `${this.result.total.toLocaleString()} items · showing ${this.offset + 1}–${last} · page ${page} of ${pages}`;
    }
    get filterText() {
        const view = this.result?.listView;
        if (!view) return '';
        if (!view.filters.length) return 'none';
        const parts = view.filters.map((f, i) => `${i + 1}. ${filterInWords(f, view.filterFields?.[i])}`);
        return `${parts.join('; ')}${view.booleanFilter ? ` · combined as ${view.booleanFilter}` : ' · all of them'}`;
    }
    get scopeOptions() {
        const current = this.result?.scope ?? this.scope ?? 'everything';
        return SCOPES.filter((s) => !s.needsUser || CURRENT_USER_ID).map((s) => ({ ...s, selected: s.value === current }));
    }
    get isEmpty() {
        return this.result && this.result.total === 0;
    }
    get noPrevious() {
        return this.offset === 0;
    }
    get noNext() {
        return !this.result || this.offset + PAGE_SIZE >= this.result.total;
    }

    format(column, value) {
        if (value === null || value === undefined || value === '') return '';
        if (column.type === 'Checkbox') return value ? '✓' : '—';
        if (column.type === 'Currency') return Number(value).toLocaleString(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
        if (column.type === 'Percent') return `${Math.round(Number(value))}%`;
        if (column.type === 'Number') return Number(value).toLocaleString(undefined, { maximumFractionDigits: 1 });
        if (column.type === 'DateTime') return new Date(value).toLocaleString();
        if (column.type === 'MultiselectPicklist' || column.type === 'Picklist') return String(value).replace(/_/g, ' ').replace(/;/g, ', ');
        return String(value);
    }

    handleSelect(event) {
        event.preventDefault();
        const { object, name, available } = event.currentTarget.dataset;
        if (available === 'true') this.select(object, name);
    }
    select(object, name) {
        this.offset = 0;
        this.sortBy = undefined;
        this.sortDir = 'asc';
        this.search = '';
        this.scope = undefined;
        this.objectApiName = object;
        this.listViewName = name;
        this.dispatchEvent(new CustomEvent('route', { detail: { url: this.url } }));
        this.load();
    }
    handleSort(event) {
        const key = event.currentTarget.dataset.key;
        if (this.sortBy === key) this.sortDir = this.sortDir === 'asc' ? 'desc' : 'asc';
        else {
            this.sortBy = key;
            this.sortDir = 'asc';
        }
        this.offset = 0;
        this.load();
    }
    handleScope(event) {
        this.scope = event.target.value;
        this.offset = 0;
        this.load();
    }
    handleSearch(event) {
        this.search = event.target.value;
        this.offset = 0;
        clearTimeout(this.timer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.timer = setTimeout(() => this.load(), SEARCH_DELAY_MS);
    }
    handlePrevious() {
        this.offset = Math.max(0, this.offset - PAGE_SIZE);
        this.load();
    }
    handleNext() {
        this.offset += PAGE_SIZE;
        this.load();
    }
    handleOpen(event) {
        event.preventDefault();
        this.dispatchEvent(new CustomEvent('route', { detail: { url: event.currentTarget.getAttribute('href') } }));
    }
    async load() {
        if (!this.objectApiName || !this.listViewName) return;
        this.writeUrl();
        this.loading = true;
        const q = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(this.offset) });
        if (this.sortBy) {
            q.set('sortBy', this.sortBy);
            q.set('sortDir', this.sortDir);
        }
        if (this.search.trim()) q.set('q', this.search.trim());
        if (CURRENT_USER_ID) q.set('userId', CURRENT_USER_ID);
        if (this.scope) q.set('scope', this.scope);
        try {
            this.result = await callApi(`/api/list-views/${this.objectApiName}/${this.listViewName}?${q}`);
            this.error = undefined;
        } catch (error) {
            this.result = undefined;
            this.error = error.body?.message ?? String(error);
        } finally {
            this.loading = false;
        }
    }
}
