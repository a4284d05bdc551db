// An app page (gate designer, analytics) as its Lightning page metadata lays it out.
import { LightningElement, api } from 'lwc';
import { flexiPages } from 'preview/registry';

export default class AppPage extends LightningElement {
    @api pageName;

    get page() {
        return flexiPages.find((p) => p.name === this.pageName);
    }
    get title() {
        return this.page?.label ?? this.pageName;
    }
    get names() {
        return this.page?.components ?? [];
    }
}
