// A record page: find a deal (or a rep) by scope and search, see the record's header, and the components its Lightning
// page places. Every page reachable by URL shows its own record, whether or not the current list holds it.
import { LightningElement, api } from 'lwc';
import { api as callApi } from 'preview/api';
import { flexiPages } from 'preview/registry';
import CURRENT_USER_ID from '@salesforce/user/Id';

const PAGE = 25;
const SEARCH_DELAY_MS = 250;
const OPPORTUNITY_FIELDS = 'Name,StageName,Account.Name,Owner.Name,Gate_Status__c';
const PICKERS = {
    Opportunity: {
        label: 'Find a deal',
        searchLabel: 'Search open deals by name, account or owner',
        route: '/opportunity/',
        scopes: [
            { value: 'mine', label: 'My opportunities', needsUser: true },
            { value: 'team', label: "My team's opportunities", needsUser: true },
            { value: 'everything', label: 'All open opportunities' },
        ],
    },
    User: {
        label: 'Find a person',
        searchLabel: 'Search people by name or title',
        route: '/user/',
        scopes: [
            { value: 'team', label: 'My team', needsUser: true },
            { value: 'everything', label: 'Everyone' },
        ],
    },
};
// The preview's user page shows what a User record page would: a manager's team and its coaching loop, then the rep's
// scorecard, coaching plans and review.
const USER_PAGE_COMPONENTS = ['teamScorecards', 'coachingTeam', 'behaviourScorecard', 'coachingPlans', 'quarterlyReview'];

export default class RecordPage extends LightningElement {
    @api objectApiName;
    _recordId;
    scope;
    search = '';
    results = [];
    total = 0;
    listOpen = false;
    record;
    error;
    people;

    @api
    get recordId() {
        return this._recordId;
    }
    set recordId(value) {
        this._recordId = value;
        this.loadRecord();
    }

    get picker() {
        return PICKERS[this.objectApiName];
    }
    get isUser() {
        return this.objectApiName === 'User';
    }

    connectedCallback() {
        this.scope = CURRENT_USER_ID ? this.picker.scopes[0].value : 'everything';
        this.listOpen = !this._recordId;
        this.loadList(true);
        this.loadRecord();
    }
    disconnectedCallback() {
        clearTimeout(this.timer);
    }

    async loadList(openFirst = false) {
        const serial = (this.serial = (this.serial ?? 0) + 1);
        try {
            const page = this.isUser ? await this.findPeople() : await this.findDeals();
            if (serial !== this.serial) return;
            this.results = page.records;
            this.total = page.total;
            this.error = undefined;
            // With no record in the URL, open the first one found (for a person: the first one with a scorecard).
            if (openFirst && !this._recordId) {
                const first = this.isUser ? (page.records.find((r) => r.scored) ?? page.records[0]) : page.records[0];
                if (first) this.pick(first.id, false);
            }
        } catch (error) {
            this.error = error.body?.message ?? String(error);
        }
    }
    async findDeals() {
        const query = new URLSearchParams({ filter: 'IsClosed:equals:0', limit: String(PAGE), fields: OPPORTUNITY_FIELDS, sortBy: 'Name' });
        if (this.search.trim()) query.set('q', this.search.trim());
        if (CURRENT_USER_ID && this.scope !== 'everything') {
            query.set('scope', this.scope);
            query.set('userId', CURRENT_USER_ID);
        }
        const page = await callApi(`/api/opportunities?${query}`);
        return { total: page.total, records: page.records.map((r) => ({ id: r.Id, name: r.Name, detail: [r['Account.Name'], r['Owner.Name'], r.StageName, r.Gate_Status__c?.replace('_', ' ')].filter(Boolean).join(' · ') })) };
    }
    async findPeople() {
        this.people ??= (await callApi('/api/users?limit=500')).records;
        const words = this.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
        const inScope = this.people.filter((u) => this.scope === 'everything' || !CURRENT_USER_ID || u.ManagerId === CURRENT_USER_ID || u.Id === CURRENT_USER_ID);
        const found = inScope.filter((u) => words.every((w) => `${u.Name} ${u.Title ?? ''}`.toLowerCase().includes(w)));
        return {
            total: found.length,
            records: found.slice(0, PAGE).map((u) => ({ id: u.Id, name: u.Name, detail: u.Title ?? '', scored: u.Behaviour_Score__c !== null && u.Behaviour_Score__c !== undefined })),
        };
    }
    async loadRecord() {
        const id = this._recordId;
        if (!id || !this.objectApiName) return;
        try {
            const record = await callApi(this.isUser ? `/api/users/${id}` : `/api/opportunities/${id}`);
            if (id === this._recordId) this.record = record;
        } catch (error) {
            if (id === this._recordId) {
                this.record = undefined;
                this.error = error.status === 404 ? `No ${this.isUser ? 'person' : 'deal'} has the id ${id}.` : (error.body?.message ?? String(error));
            }
        }
    }

    get scopeOptions() {
        return this.picker.scopes.filter((s) => !s.needsUser || CURRENT_USER_ID).map((s) => ({ ...s, selected: s.value === this.scope }));
    }
    get options() {
        return this.results.map((r) => ({ ...r, href: `${this.picker.route}${r.id}`, current: r.id === this._recordId ? 'page' : null, className: `slds-listbox__item result${r.id === this._recordId ? ' slds-is-selected' : ''}` }));
    }
    get resultSummary() {
        if (this.total === 0) return this.search ? `Nothing matches "${this.search}".` : 'Nothing here.';
        return this.total > this.results.length ? `${this.total.toLocaleString()} found · showing the first ${this.results.length}: search to narrow` : `${this.total.toLocaleString()} found`;
    }
    get toggleLabel() {
        return this.listOpen ? 'Hide list' : 'Show list';
    }
    get heading() {
        if (!this.record) return this._recordId ? '' : this.picker.label;
        return this.record.Name ?? this._recordId;
    }
    get subheading() {
        const r = this.record;
        if (!r) return '';
        if (this.isUser) return r.Title ?? '';
        return [r.StageName, r.Amount !== null && r.Amount !== undefined ? Number(r.Amount).toLocaleString(undefined, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }) : null, r.CloseDate ? `closes ${r.CloseDate}` : null].filter(Boolean).join(' · ');
    }
    get icon() {
        return this.isUser ? 'standard:user' : 'standard:opportunity';
    }
    get names() {
        if (this.isUser) return USER_PAGE_COMPONENTS;
        return flexiPages.filter((p) => p.type === 'RecordPage' && p.sobjectType === this.objectApiName).flatMap((p) => p.components);
    }
    get hasRecord() {
        return !!this._recordId && !!this.record;
    }

    handleScope(event) {
        this.scope = event.target.value;
        this.listOpen = true;
        this.loadList();
    }
    handleSearch(event) {
        this.search = event.target.value;
        this.listOpen = true;
        clearTimeout(this.timer);
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        this.timer = setTimeout(() => this.loadList(), SEARCH_DELAY_MS);
    }
    handleSearchKey(event) {
        if (event.key === 'Escape') this.listOpen = false;
        if (event.key === 'Enter' && this.results.length) {
            clearTimeout(this.timer);
            this.pick(this.results[0].id);
        }
    }
    handleToggle() {
        this.listOpen = !this.listOpen;
    }
    handleOpen(event) {
        event.preventDefault();
        this.pick(event.currentTarget.dataset.recordId);
    }
    pick(id, close = true) {
        if (close) this.listOpen = false;
        this._recordId = id;
        this.record = undefined;
        this.error = undefined;
        this.loadRecord();
        this.dispatchEvent(new CustomEvent('route', { detail: { url: `${this.picker.route}${id}` } }));
    }
}
