// The preview shell: navigation between the pages, the sync button, and the toasts components raise.
import { LightningElement } from 'lwc';
import { api, requestRefresh } from 'preview/api';
import CURRENT_USER_ID from '@salesforce/user/Id';

const CURRENT_USER_KEY = 'stagecraft.userId';

const TABS = [
    { key: 'opportunity', label: 'Opportunity', href: '/opportunity' },
    { key: 'user', label: 'Rep', href: '/user' },
    { key: 'list', label: 'List views', href: '/list' },
    { key: 'gates', label: 'Gate designer', href: '/gates' },
    { key: 'analytics', label: 'Analytics', href: '/analytics' },
];
const TOAST_THEMES = { success: 'slds-theme_success', error: 'slds-theme_error', warning: 'slds-theme_warning', info: 'slds-theme_info' };
const POLL_MS = 500;

export default class App extends LightningElement {
    path = window.location.pathname;
    toasts = [];
    syncState = 'idle';
    syncMessage = '';
    toastSerial = 0;
    people = [];

    connectedCallback() {
        this.onPop = () => (this.path = window.location.pathname);
        this.onNavigate = (event) => this.go(event.detail.url);
        this.onToast = (event) => this.addToast(event.detail);
        window.addEventListener('popstate', this.onPop);
        window.addEventListener('stagecraft:navigate', this.onNavigate);
        window.addEventListener('lightning__showtoast', this.onToast);
        if (this.path === '/' || this.path === '') this.go('/opportunity', true);
        // Components link records the platform way (/lightning/r/<id>/view): open the preview's page for deals and reps.
        const linked = /^\/lightning\/r\/(?:[A-Za-z_]+\/)?([a-zA-Z0-9]{15,18})\/view/.exec(this.path);
        if (linked) {
            const page = { '006': '/opportunity/', '005': '/user/', '00T': '/record/', '00U': '/record/', '003': '/record/', '001': '/record/' }[linked[1].slice(0, 3)];
            if (page) this.go(`${page}${linked[1]}`, true);
        }
        this.loadSyncStatus();
        this.loadPeople();
    }
    disconnectedCallback() {
        window.removeEventListener('popstate', this.onPop);
        window.removeEventListener('stagecraft:navigate', this.onNavigate);
        window.removeEventListener('lightning__showtoast', this.onToast);
    }

    get parts() {
        return this.path.split('/').filter(Boolean);
    }
    get section() {
        return this.parts[0] ?? 'opportunity';
    }
    get tabs() {
        return TABS.map((t) => ({ ...t, className: `slds-context-bar__item${t.key === this.section ? ' slds-is-active' : ''}`, current: t.key === this.section ? 'page' : null }));
    }
    get isOpportunity() {
        return this.section === 'opportunity';
    }
    get isUser() {
        return this.section === 'user';
    }
    get isList() {
        return this.section === 'list';
    }
    get isGates() {
        return this.section === 'gates';
    }
    get isAnalytics() {
        return this.section === 'analytics';
    }
    get isRecord() {
        return this.section === 'record' && /^(00T|00U|003|001)/.test(this.recordId ?? '');
    }
    get isElsewhere() {
        return !['opportunity', 'user', 'list', 'gates', 'analytics'].includes(this.section) && !this.isRecord;
    }
    get recordId() {
        return this.parts[1];
    }
    get listObject() {
        return this.parts[1];
    }
    get listName() {
        return this.parts[2];
    }
    get syncing() {
        return this.syncState === 'running';
    }
    get syncLabel() {
        return this.syncing ? 'Syncing…' : 'Sync now';
    }

    handleNav(event) {
        event.preventDefault();
        this.go(event.currentTarget.getAttribute('href'));
    }
    handleRoute(event) {
        this.go(event.detail.url);
    }
    go(url, replace = false) {
        if (replace) window.history.replaceState({}, '', url);
        else if (url !== window.location.pathname) window.history.pushState({}, '', url);
        this.path = new URL(url, window.location.origin).pathname;
    }

    async loadSyncStatus() {
        try {
            const [status, health] = await Promise.all([api('/api/sync'), api('/api/health')]);
            // The sync npm start runs before serving is recorded in the org, not in this server's job: say when it was.
            this.lastSync = health.lastSync;
            this.describe(status);
        } catch (error) {
            this.syncMessage = error.body?.message ?? 'sync status unavailable';
        }
    }
    describe(status) {
        this.syncState = status.state;
        const changed = (n) => (n === undefined || n === null ? '' : `: ${Number(n).toLocaleString()} fields changed`);
        if (status.state === 'failed') this.syncMessage = `Last sync failed: ${status.error}`;
        else if (status.state === 'running') this.syncMessage = 'Syncing…';
        else if (status.last) this.syncMessage = `Last sync ${new Date(status.finishedAt).toLocaleTimeString()}${changed(status.last.fieldsChanged)}`;
        else if (this.lastSync?.at) this.syncMessage = `Last sync ${new Date(this.lastSync.at).toLocaleString()}${changed(this.lastSync.fieldsChanged)}`;
        else this.syncMessage = 'Not synced yet: press Sync now';
    }

    // "Viewing as": the preview's stand-in for the logged-in user (what "My opportunities" and "My team" mean).
    async loadPeople() {
        try {
            this.people = (await api('/api/users?limit=500')).records;
        } catch {
            this.people = [];
        }
    }
    get viewerOptions() {
        return [{ id: '', label: 'Nobody (see everything)', selected: !CURRENT_USER_ID }, ...this.people.map((u) => ({ id: u.Id, label: u.Title ? `${u.Name} (${u.Title})` : u.Name, selected: u.Id === CURRENT_USER_ID }))];
    }
    handleViewer(event) {
        const id = event.target.value;
        if (id) window.localStorage.setItem(CURRENT_USER_KEY, id);
        else window.localStorage.removeItem(CURRENT_USER_KEY);
        // The running user is fixed for a session on the platform: start the page again as the new one.
        window.location.reload();
    }
    async handleSync() {
        try {
            let status = await api('/api/sync', { method: 'POST', body: {} });
            this.describe(status);
            while (status.state === 'running') {
                // eslint-disable-next-line @lwc/lwc/no-async-operation
                await new Promise((resolve) => setTimeout(resolve, POLL_MS));
                status = await api('/api/sync');
                this.describe(status);
            }
            if (status.state === 'idle') {
                requestRefresh();
                this.addToast({ title: 'Sync finished', message: this.syncMessage, variant: 'success' });
            }
        } catch (error) {
            this.syncState = 'failed';
            this.addToast({ title: 'Sync could not start', message: error.body?.message ?? String(error), variant: 'error' });
        }
    }

    addToast({ title, message, variant = 'info' }) {
        const key = ++this.toastSerial;
        this.toasts = [...this.toasts, { key, title, message, className: `slds-notify slds-notify_toast ${TOAST_THEMES[variant] ?? TOAST_THEMES.info}` }];
        // eslint-disable-next-line @lwc/lwc/no-async-operation
        setTimeout(() => this.dismiss(key), 6000);
    }
    dismiss(key) {
        this.toasts = this.toasts.filter((t) => t.key !== key);
    }
    handleDismiss(event) {
        this.dismiss(Number(event.currentTarget.dataset.key));
    }
}
