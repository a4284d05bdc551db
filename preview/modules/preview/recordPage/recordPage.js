// A record page: pick a deal (or a rep), see the record's highlights, and the components its Lightning page places.
import { LightningElement, api } from 'lwc';
import { api as callApi } from 'preview/api';
import { flexiPages } from 'preview/registry';

const PICKERS = {
    Opportunity: { path: '/api/opportunities?filter=IsClosed:equals:0&limit=300&fields=Name,StageName,Account.Name,Gate_Status__c', label: 'Open deal', route: '/opportunity/' },
    User: { path: '/api/users?limit=500', label: 'Rep', route: '/user/' },
};
// The preview's user page shows what a rep's User record page would: the scorecard components.
const USER_PAGE_COMPONENTS = ['behaviourScorecard', 'quarterlyReview'];

export default class RecordPage extends LightningElement {
    @api objectApiName;
    _recordId;
    choices = [];
    error;

    @api
    get recordId() {
        return this._recordId;
    }
    set recordId(value) {
        this._recordId = value;
    }

    async connectedCallback() {
        try {
            const page = await callApi(PICKERS[this.objectApiName].path);
            this.choices = page.records.map((r) => ({ id: r.Id, label: this.describe(r), scored: r.Behaviour_Score__c !== null && r.Behaviour_Score__c !== undefined }));
            // A rep page opens on a scored rep (managers and new hires have no scorecard to show).
            const first = this.objectApiName === 'User' ? (this.choices.find((c) => c.scored) ?? this.choices[0]) : this.choices[0];
            if (!this._recordId && first) this.pick(first.id);
        } catch (error) {
            this.error = error.body?.message ?? String(error);
        }
    }

    describe(r) {
        if (this.objectApiName === 'User') return r.Title ? `${r.Name} (${r.Title})` : r.Name;
        return [r.Name, r['Account.Name'], r.StageName, r.Gate_Status__c?.replace('_', ' ')].filter(Boolean).join(' · ');
    }

    get pickerLabel() {
        return PICKERS[this.objectApiName].label;
    }
    get options() {
        return this.choices.map((c) => ({ ...c, selected: c.id === this._recordId }));
    }
    get current() {
        return this.choices.find((c) => c.id === this._recordId);
    }
    get heading() {
        return this.current?.label ?? this._recordId ?? '';
    }
    get icon() {
        return this.objectApiName === 'User' ? 'standard:user' : 'standard:opportunity';
    }
    get names() {
        if (this.objectApiName === 'User') return USER_PAGE_COMPONENTS;
        return flexiPages.filter((p) => p.type === 'RecordPage' && p.sobjectType === this.objectApiName).flatMap((p) => p.components);
    }
    get hasRecord() {
        return !!this._recordId;
    }

    handlePick(event) {
        this.pick(event.target.value);
    }
    pick(id) {
        this._recordId = id;
        this.dispatchEvent(new CustomEvent('route', { detail: { url: `${PICKERS[this.objectApiName].route}${id}` } }));
    }
}
