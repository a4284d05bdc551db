// List views as the package defines them (force-app listViews metadata): the same columns and filters, evaluated by the
// companion over the embedded org.
import { LightningElement, api } from 'lwc';
import { api as callApi, REFRESH_EVENT } from 'preview/api';

const PAGE_SIZE = 50;

export default class ListViews extends LightningElement {
    @api objectApiName;
    @api listViewName;
    views = [];
    result;
    error;
    offset = 0;
    loading = false;

    async connectedCallback() {
        this.onRefresh = () => this.load();
        window.addEventListener(REFRESH_EVENT, this.onRefresh);
        try {
            this.views = (await callApi('/api/list-views')).listViews;
            if (!this.selected) {
                const first = this.views.find((v) => v.available);
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
    }

    get selected() {
        return this.views.find((v) => v.object === this.objectApiName && v.name === this.listViewName);
    }
    get navItems() {
        return this.views.map((v) => ({
            key: `${v.object}.${v.name}`,
            object: v.object,
            name: v.name,
            label: v.label,
            href: `/list/${v.object}/${v.name}`,
            available: v.available,
            className: `slds-nav-vertical__item${v.object === this.objectApiName && v.name === this.listViewName ? ' slds-is-active' : ''}`,
            current: v.object === this.objectApiName && v.name === this.listViewName ? 'page' : null,
        }));
    }
    get columns() {
        return this.result?.listView.columns.map((c) => ({ key: c.apiName, label: c.label })) ?? [];
    }
    get rows() {
        if (!this.result) return [];
        const columns = this.result.listView.columns;
        return this.result.records.map((record) => ({
            key: record.Id,
            cells: columns.map((c, i) => ({ key: c.apiName, value: this.format(c, record[c.apiName]), link: i === 0 ? `/opportunity/${record.Id}` : null })),
        }));
    }
    get summary() {
        if (!this.result) return '';
        const last = Math.min(this.offset + PAGE_SIZE, this.result.total);
        return this.result.total === 0 ? '0 items' : `${this.result.total} items · showing ${this.offset + 1}–${last}`;
    }
    get filterText() {
        const view = this.result?.listView;
        if (!view) return '';
        const parts = view.filters.map((f, i) => `${i + 1}. ${f.field} ${f.operation} ${f.value ?? '(blank)'}`);
        return `${parts.join('; ')}${view.booleanFilter ? ` · ${view.booleanFilter}` : ''}`;
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
        if (column.type === 'Currency') return Number(value).toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
        if (column.type === 'Percent') return `${Math.round(Number(value))}%`;
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
        this.dispatchEvent(new CustomEvent('route', { detail: { url: `/list/${object}/${name}` } }));
        this.objectApiName = object;
        this.listViewName = name;
        this.load();
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
        this.loading = true;
        try {
            this.result = await callApi(`/api/list-views/${this.objectApiName}/${this.listViewName}?limit=${PAGE_SIZE}&offset=${this.offset}`);
            this.error = undefined;
        } catch (error) {
            this.result = undefined;
            this.error = error.body?.message ?? String(error);
        } finally {
            this.loading = false;
        }
    }
}
