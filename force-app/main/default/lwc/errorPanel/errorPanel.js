// One error panel for every Stagecraft component: a friendly line, and the technical messages on request.
import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';
import DEFAULT_MESSAGE from '@salesforce/label/c.Stagecraft_Error_Default';
import SHOW_DETAILS from '@salesforce/label/c.Stagecraft_Error_Details';

export default class ErrorPanel extends LightningElement {
    /** A wire error, a rejected promise's reason, or a list of them. */
    @api errors;
    /** The line a user reads; the default says something went wrong loading the data. */
    @api friendlyMessage = DEFAULT_MESSAGE;

    label = { showDetails: SHOW_DETAILS };

    get messages() {
        return reduceErrors(this.errors);
    }

    get hasMessages() {
        return this.messages.length > 0;
    }
}
