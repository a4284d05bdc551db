// The preview shell: navigation between the pages, the sync button, and the toasts components raise.
import { LightningElement } from 'lwc';
import { api, requestRefresh } from 'preview/api';

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
            const page = { '006': '/opportunity/', '005': '/user/' }[linked[1].slice(0, 3)];
            if (page) this.go(`${page}${linked[1]}`, true);
        }
        this.loadSyncStatus();
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
    get isElsewhere() {
        return !['opportunity', 'user', 'list', 'gates', 'analytics'].includes(this.section);
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
            const status = await api('/api/sync');
            this.describe(status);
        } catch (error) {
            this.syncMessage = error.body?.message ?? 'sync status unavailable';
        }
    }
    describe(status) {
        this.syncState = status.state;
        if (status.state === 'failed') this.syncMessage = `Last sync failed: ${status.error}`;
        else if (status.last) this.syncMessage = `Last sync ${new Date(status.finishedAt).toLocaleTimeString()}: ${status.last.fieldsChanged} fields changed`;
        else this.syncMessage = 'Not synced since the companion started';
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
