// Word lists for generated demo records: the same realistic B2B mix the synthetic benchmark orgs use.
export { CONTACT_ROLES, CONTACT_TITLES, FIRST_NAMES, LAST_NAMES, LEAD_SOURCES, NEXT_STEPS, SUBJECTS } from '../../../../../shared/src/synthetic/vocabulary.ts';
