// Turns the error shapes Lightning Data Service, UI API GraphQL and plain JS produce into a flat list of messages.

/**
 * @param {object|object[]} errors a wire `error`, a rejected promise's reason, GraphQL `errors`, or a list of them
 * @returns {string[]} the messages, in order, without blanks
 */
export function reduceErrors(errors) {
    const list = Array.isArray(errors) ? errors : [errors];
    return list
        .filter((error) => !!error)
        .flatMap((error) => {
            const body = error.body;
            if (Array.isArray(body)) {
                return body.map((e) => e.message);
            }
            if (body?.output?.errors?.length || body?.output?.fieldErrors) {
                const fieldErrors = Object.values(body.output.fieldErrors ?? {}).flat();
                return [...body.output.errors, ...fieldErrors].map((e) => e.message);
            }
            if (body && typeof body.message === 'string') {
                return [body.message];
            }
            if (typeof error.message === 'string') {
                return [error.message];
            }
            return [error.statusText];
        })
        .filter((message) => !!message);
}

/**
 * Fills "{0}", "{1}" … in a custom label, the way the platform's own format helpers do.
 * @param {string} template a label value
 * @param {...(string|number)} args the values
 * @returns {string} the filled-in text
 */
export function formatLabel(template, ...args) {
    return String(template).replace(/\{(\d+)\}/g, (match, index) => (args[index] ?? '') + '');
}
