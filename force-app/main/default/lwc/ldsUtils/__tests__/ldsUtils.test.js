import { reduceErrors, formatLabel } from 'c/ldsUtils';

describe('c/ldsUtils', () => {
    it('When errors come in the shapes LDS, UI API and JS use, then each message is listed once, in order', () => {
        const errors = [
            { body: [{ message: 'first of a list' }, { message: 'second of a list' }] },
            { body: { message: 'a wire error body' } },
            { body: { output: { errors: [{ message: 'record-level' }], fieldErrors: { Note__c: [{ message: 'Note is too long' }] } } } },
            new Error('a thrown error'),
            { message: 'a GraphQL error' },
            { statusText: 'Service Unavailable' },
            null,
        ];
        expect(reduceErrors(errors)).toEqual([
            'first of a list',
            'second of a list',
            'a wire error body',
            'record-level',
            'Note is too long',
            'a thrown error',
            'a GraphQL error',
            'Service Unavailable',
        ]);
    });

    it('When one error is passed, not a list, then its message is returned', () => {
        expect(reduceErrors({ body: { message: 'alone' } })).toEqual(['alone']);
        expect(reduceErrors(undefined)).toEqual([]);
    });

    it('When a label has placeholders, then they are filled in by position and missing ones left empty', () => {
        expect(formatLabel('{0} of {1} met', 2, 3)).toBe('2 of 3 met');
        expect(formatLabel('{1} before {0}', 'a', 'b')).toBe('b before a');
        expect(formatLabel('{0} and {1}', 'only')).toBe('only and ');
        expect(formatLabel('{0}', 0)).toBe('0');
    });
});
