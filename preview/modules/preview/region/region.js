// Renders the package components a Lightning page places, by name, with the record context the platform would give
// them. A component the page names but this build does not have is shown as such, not silently dropped.
import { LightningElement, api } from 'lwc';
import { components } from 'preview/registry';

export default class Region extends LightningElement {
    @api names = [];
    @api recordId;
    @api objectApiName;

    get items() {
        return this.names.map((name) => ({ name, ctor: components[name], missing: !components[name], tag: `c:${name}` }));
    }
}
