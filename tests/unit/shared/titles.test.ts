import { describe, expect, it } from 'vitest';
import { classifyTitle, isExecutive } from '../../../shared/src/engine/titles.ts';

// Real-world titles as they appear in CRMs, including the ones that only look senior.
const EXECUTIVES = [
  'Head of IT', 'Dir. Finance', 'SVP, Procurement', 'Founder & CEO', 'CFO', 'Chief Revenue Officer', 'VP of Sales', 'V.P. Marketing',
  'Vice President, Operations', 'Executive Vice President', 'EVP Global Sales', 'Sr. VP Engineering', 'Director of Vendor Relations',
  'IT Director', 'Senior Director, Engineering', 'Managing Director', 'President & COO', 'Co-Founder', 'Chairman of the Board',
  'Board Member', 'General Manager, EMEA', 'Executive Director', 'Owner', 'Partner', 'Managing Partner', 'CISO', 'Chief of Staff',
  'General Counsel', 'Directeur Général', 'Head, Procurement',
];
const NOT_EXECUTIVES = [
  'Executive Assistant', 'Assistant to the CEO', 'Account Executive', 'Senior Manager', 'IT Manager', 'Procurement Specialist',
  'Software Engineer', 'Executive Assistant to the VP of Sales', "Director's Assistant", 'Assistant Director', 'Associate Director',
  'Senior Account Executive', 'Channel Partner Manager', 'Product Owner', 'Office Coordinator', 'Assistant Vice President',
  'Team Lead', 'Buyer', 'Financial Analyst', 'Sales Executive', 'CEO Office Coordinator',
];

describe('title classifier', () => {
  it.each(EXECUTIVES)('When the title is "%s", then the contact is director level or above', (title) => {
    expect(isExecutive(title)).toBe(true);
  });

  it.each(NOT_EXECUTIVES)('When the title is "%s", then the contact is not an executive', (title) => {
    expect(isExecutive(title)).toBe(false);
  });

  it('When titles are ranked, then C-level, VP, director and manager come out in order', () => {
    expect(classifyTitle('Founder & CEO')).toBe('c_level');
    expect(classifyTitle('SVP, Procurement')).toBe('vp');
    expect(classifyTitle('Head of IT')).toBe('director');
    expect(classifyTitle('Senior Manager')).toBe('manager');
    expect(classifyTitle('Systems Engineer')).toBe('staff');
  });

  it('When a contact has no title, then the seniority is unknown and never executive', () => {
    expect(classifyTitle(null)).toBe('unknown');
    expect(classifyTitle('   ')).toBe('unknown');
    expect(isExecutive(undefined)).toBe(false);
  });
});
