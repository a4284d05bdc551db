// Preview stand-in for lightning/navigation: NavigationMixin turns page references into the preview's own routes.
import { REFRESH_EVENT } from './http';

const Navigate = Symbol('Navigate');
const GenerateUrl = Symbol('GenerateUrl');

/** The preview route of a page reference, or null when the preview has no such page. */
export function urlOf(pageRef) {
    const a = pageRef?.attributes ?? {};
    if (pageRef?.type === 'standard__recordPage') {
        const object = a.objectApiName ?? (String(a.recordId).startsWith('005') ? 'User' : 'Opportunity');
        return object === 'User' ? `/user/${a.recordId}` : `/opportunity/${a.recordId}`;
    }
    if (pageRef?.type === 'standard__objectPage' && a.actionName === 'list') return `/list/${a.objectApiName}/${pageRef.state?.filterName ?? ''}`;
    if (pageRef?.type === 'standard__navItemPage') return a.apiName === 'Stagecraft_Gate_Designer' ? '/gates' : a.apiName === 'Stagecraft_Analytics' ? '/analytics' : '/';
    return null;
}

export function NavigationMixin(Base) {
    return class extends Base {
        [Navigate](pageRef) {
            const url = urlOf(pageRef);
            if (url) window.dispatchEvent(new CustomEvent('stagecraft:navigate', { detail: { url } }));
        }
        [GenerateUrl](pageRef) {
            return Promise.resolve(urlOf(pageRef) ?? '#');
        }
    };
}
NavigationMixin.Navigate = Navigate;
NavigationMixin.GenerateUrl = GenerateUrl;

export const CurrentPageReference = class {
    constructor(dataCallback) {
        this.dataCallback = dataCallback;
        this.emit = () => this.dataCallback({ type: 'preview__page', attributes: { path: window.location.pathname }, state: Object.fromEntries(new URLSearchParams(window.location.search)) });
    }
    update() {
        this.emit();
    }
    connect() {
        window.addEventListener('popstate', this.emit);
        window.addEventListener(REFRESH_EVENT, this.emit);
    }
    disconnect() {
        window.removeEventListener('popstate', this.emit);
        window.removeEventListener(REFRESH_EVENT, this.emit);
    }
};
