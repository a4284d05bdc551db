// Preview stand-in for lightning/platformShowToastEvent: the same event the platform listens for; the preview's shell
// shows it as an SLDS toast.
export class ShowToastEvent extends CustomEvent {
    constructor({ title, message, variant = 'info', mode = 'dismissible', messageData } = {}) {
        super('lightning__showtoast', { bubbles: true, composed: true, cancelable: true, detail: { title, message, variant, mode, messageData } });
    }
}
