// Word lists for synthetic orgs. The contact titles are the embedded demo's realistic B2B mix (server/src/crm/embedded/
// demo/vocabulary.ts), copied because shared/ does not import from server/; they include titles that only look senior.

export const CONTACT_TITLES: readonly { title: string; weight: number; department: string }[] = [
  { title: 'Chief Executive Officer', weight: 1.5, department: 'Executive' },
  { title: 'Founder & CEO', weight: 0.8, department: 'Executive' },
  { title: 'CFO', weight: 1.5, department: 'Finance' },
  { title: 'Chief Operating Officer', weight: 1, department: 'Operations' },
  { title: 'CIO', weight: 1.2, department: 'IT' },
  { title: 'CTO', weight: 1, department: 'Engineering' },
  { title: 'SVP, Procurement', weight: 1.2, department: 'Procurement' },
  { title: 'VP Finance', weight: 2, department: 'Finance' },
  { title: 'VP of Operations', weight: 2, department: 'Operations' },
  { title: 'Vice President, IT', weight: 1.5, department: 'IT' },
  { title: 'Head of IT', weight: 2.5, department: 'IT' },
  { title: 'Head of Procurement', weight: 2, department: 'Procurement' },
  { title: 'Director of Operations', weight: 3, department: 'Operations' },
  { title: 'Dir. Finance', weight: 2, department: 'Finance' },
  { title: 'IT Director', weight: 3, department: 'IT' },
  { title: 'Senior Director, Engineering', weight: 1.5, department: 'Engineering' },
  { title: 'IT Manager', weight: 6, department: 'IT' },
  { title: 'Procurement Manager', weight: 6, department: 'Procurement' },
  { title: 'Senior Manager, Facilities', weight: 3, department: 'Facilities' },
  { title: 'Operations Manager', weight: 5, department: 'Operations' },
  { title: 'Finance Manager', weight: 4, department: 'Finance' },
  { title: 'Project Lead', weight: 3, department: 'Operations' },
  { title: 'Systems Engineer', weight: 5, department: 'IT' },
  { title: 'Network Administrator', weight: 4, department: 'IT' },
  { title: 'Buyer', weight: 4, department: 'Procurement' },
  { title: 'Procurement Specialist', weight: 4, department: 'Procurement' },
  { title: 'Financial Analyst', weight: 4, department: 'Finance' },
  { title: 'Business Analyst', weight: 4, department: 'Operations' },
  { title: 'Executive Assistant', weight: 2, department: 'Executive' },
  { title: 'Assistant to the CEO', weight: 1, department: 'Executive' },
  { title: 'Account Executive', weight: 1, department: 'Sales' },
  { title: 'Office Coordinator', weight: 2, department: 'Facilities' },
];

export const FIRST_NAMES = [
  'Dana', 'Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Riley', 'Casey', 'Jamie', 'Avery', 'Quinn', 'Rowan', 'Maria', 'Wei',
  'Aisha', 'Carlos', 'Fatima', 'Hiroshi', 'Ingrid', 'Kwame', 'Lena', 'Mateo', 'Nadia', 'Olu', 'Priya', 'Rafael', 'Sofia',
  'Tomas', 'Yusuf', 'Zoe', 'Grace', 'Henry', 'Isla', 'Jack', 'Leo', 'Mia', 'Noah', 'Olivia', 'Ethan', 'Chloe',
];

export const LAST_NAMES = [
  'Ruiz', 'Chen', 'Okafor', 'Schmidt', 'Patel', 'Nguyen', 'Kowalski', 'Haddad', 'Silva', 'Johansson', 'Murphy', 'Tanaka',
  'Dubois', 'Rossi', 'Kim', 'Mensah', 'Novak', 'Ivanova', 'Garcia', 'Smith', 'Brown', 'Wilson', 'Taylor', 'Anderson',
  'Thomas', 'Moore', 'Martin', 'Lee', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Lopez', 'Hill', 'Scott',
];

export const COMPANY_WORDS = [
  'Acme', 'Northwind', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell', 'Cyberdyne',
  'Oscorp', 'Gringotts', 'Monarch', 'Wonka', 'Aperture', 'Massive', 'Dunder', 'Pied Piper', 'Bluth', 'Prestige', 'Sterling', 'Vehement',
];

export const COMPANY_SUFFIXES = ['Inc.', 'Ltd', 'GmbH', 'Group', 'Holdings', 'Systems', 'Labs', 'Partners', 'Industries', 'Corp.'];

export const INDUSTRIES = ['Technology', 'Finance', 'Healthcare', 'Retail', 'Manufacturing', 'Telecommunications', 'Energy', 'Education', 'Media', 'Logistics'];

export const PRODUCTS = ['Platform Core', 'Platform Plus', 'Analytics Add-on', 'Enterprise Suite', 'Starter Pack', 'Support Premier', 'Data Connector'];

export const LEAD_SOURCES = ['Web', 'Partner Referral', 'Trade Show', 'Phone Inquiry', 'Employee Referral', 'Outbound Prospecting', 'Purchased List'];

export const CONTACT_ROLES = ['Economic Buyer', 'Decision Maker', 'Influencer', 'Technical Buyer', 'Evaluator', 'Executive Sponsor', 'Business User', 'Other'];
export const EXECUTIVE_ROLES = ['Economic Buyer', 'Decision Maker', 'Executive Sponsor'];

export const SUBJECTS: Record<'call' | 'email' | 'meeting' | 'task', readonly string[]> = {
  call: ['Discovery call', 'Follow-up call', 'Check-in call', 'Pricing discussion', 'Qualification call', 'Reference call'],
  email: ['Sent recap and next steps', 'Shared case study', 'Sent proposal draft', 'Answered security questions', 'Intro email'],
  meeting: ['Discovery meeting', 'Product demo', 'Business case review', 'Technical deep dive', 'Executive briefing', 'Negotiation meeting'],
  task: ['Prepare proposal', 'Follow up on pricing', 'Send contract', 'Schedule demo', 'Update mutual action plan'],
};

export const NEXT_STEPS = [
  'Demo for the IT team',
  'Send proposal and pricing',
  'Pricing call with the CFO',
  'Security review with IT',
  'Business case review with the VP',
  'Contract redlines back from legal',
  'Reference call with an existing customer',
  'Agree mutual action plan',
];
