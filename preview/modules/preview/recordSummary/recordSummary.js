// Records the package links to but places no component on (activities, contacts, accounts): the preview shows their
// main fields, as a compact layout would, so an evidence link opens the call or meeting it names.
import { LightningElement, api } from 'lwc';
import { api as callApi } from 'preview/api';

const LAYOUTS = {
    '00T': { object: 'Task', icon: 'standard:task', fields: ['Subject', 'Type', 'Status', 'ActivityDate', 'CallDurationInSeconds', 'Who.Name', 'What.Name', 'Description'] },
    '00U': { object: 'Event', icon: 'standard:event', fields: ['Subject', 'Type', 'ActivityDateTime', 'DurationInMinutes', 'Who.Name', 'What.Name', 'Description'] },
    '003': { object: 'Contact', icon: 'standard:contact', fields: ['Name', 'Title', 'Department', 'Email', 'Account.Name'] },
    '001': { object: 'Account', icon: 'standard:account', fields: ['Name', 'Industry', 'Type', 'BillingCountry', 'NumberOfEmployees'] },
};
const LABELS = { CallDurationInSeconds: 'Call duration (seconds)', ActivityDate: 'Date', ActivityDateTime: 'Starts', DurationInMinutes: 'Duration (minutes)', 'Who.Name': 'Name', 'What.Name': 'Related to', 'Account.Name': 'Account', BillingCountry: 'Country', NumberOfEmployees: 'Employees' };
// Where a related record opens in the preview, by its id's key prefix.
const PAGES = { '006': '/opportunity/', '005': '/user/', '003': '/record/', '001': '/record/' };

export default class RecordSummary extends LightningElement {
    @api recordId;
    record;
    error;

    get layout() {
        return LAYOUTS[String(this.recordId).slice(0, 3)];
    }

    async connectedCallback() {
        const layout = this.layout;
        if (!layout) return;
        try {
            const query = new URLSearchParams({ optionalFields: layout.fields.map((f) => `${layout.object}.${f}`).join(',') });
            this.record = await callApi(`/api/ui/records/${this.recordId}?${query}`);
        } catch (error) {
            this.error = error.status === 404 ? `No ${layout.object.toLowerCase()} has the id ${this.recordId}.` : (error.body?.message ?? String(error));
        }
    }

    get heading() {
        const f = this.record?.fields ?? {};
        return f.Subject?.value ?? f.Name?.value ?? this.recordId;
    }
    get rows() {
        const fields = this.record?.fields ?? {};
        return this.layout.fields
            .filter((name) => name !== 'Subject' && name !== 'Name')
            .map((name) => {
                const [head] = name.split('.');
                const entry = fields[head];
                const related = name.includes('.') ? entry?.value : null;
                const value = related ? related.fields?.Name?.value : entry?.displayValue ?? entry?.value;
                const page = related ? PAGES[String(related.id).slice(0, 3)] : null;
                return { key: name, label: LABELS[name] ?? name.replace(/([a-z])([A-Z])/g, '$1 $2'), value: value ?? '—', href: page ? `${page}${related.id}` : null };
            });
    }
}
