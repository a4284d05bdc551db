// Seniority from a job title, as people actually write them ("SVP, Procurement", "Dir. Finance", "Head of IT").
// Executive access means director level or above. The hard part is what only *looks* senior: "Executive Assistant",
// "Assistant to the CEO", "Account Executive" are not executives, so exclusions are checked before titles.

export type Seniority = 'c_level' | 'vp' | 'director' | 'manager' | 'staff' | 'unknown';

const RANK: Record<Seniority, number> = { unknown: 0, staff: 1, manager: 2, director: 3, vp: 4, c_level: 5 };

/** Lower-case words with punctuation turned into spaces, so "Sr.VP/Sales" reads "sr vp sales". */
const normalise = (title: string): string =>
  ` ${title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\bv\.\s?p\.?/g, 'vp')
    .replace(/\bc\.e\.o\.?/g, 'ceo')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;

const has = (text: string, ...phrases: string[]): boolean => phrases.some((p) => text.includes(` ${p} `));

// Support roles that name a senior person without being one.
const SUPPORT = ['assistant', 'asst', 'assistent', 'secretary', 'pa to', 'coordinator', 'intern', 'receptionist', 'admin', 'administrative'];

const C_LEVEL = [
  'ceo', 'cfo', 'coo', 'cto', 'cio', 'cmo', 'cro', 'cso', 'ciso', 'cpo', 'chro', 'cdo', 'cco', 'cao', 'clo', 'cxo', 'cno',
  'chief', 'president', 'founder', 'co founder', 'cofounder', 'chairman', 'chairwoman', 'chairperson', 'chair',
  'board member', 'board director', 'managing partner', 'general partner', 'founding partner', 'senior partner',
  'geschaftsfuhrer', 'presidente', 'directeur general', 'director general',
];
const VP = ['vp', 'svp', 'evp', 'vice president', 'vicepresident', 'managing director', 'general counsel'];
const DIRECTOR = ['director', 'dir', 'directeur', 'directora', 'head', 'general manager', 'gm'];
const MANAGER = ['manager', 'mgr', 'supervisor', 'lead', 'team lead', 'avp', 'associate director', 'assistant director', 'assistant vice president', 'superintendent'];

export const classifyTitle = (title: string | null | undefined): Seniority => {
  if (!title || !title.trim()) return 'unknown';
  const t = normalise(title);
  // "Executive Assistant to the CEO", "Assistant Director": the support word decides before any senior word can.
  if (has(t, ...SUPPORT)) {
    return has(t, 'assistant director', 'assistant vice president', 'avp') ? 'manager' : 'staff';
  }
  // A lone "owner" is a business owner; a "Product Owner" is not.
  if (/^ (co )?owner( |$)/.test(t) || has(t, 'owner operator', 'business owner')) return 'c_level';
  if (has(t, 'vice president', 'vicepresident', 'vice chair')) return has(t, 'assistant vice president') ? 'manager' : 'vp';
  if (has(t, 'associate director')) return 'manager';
  // A partner of a firm is senior; a "Channel Partner Manager" is not.
  if (/^ partner( |$)/.test(t) || has(t, 'partner at')) return 'director';
  if (has(t, 'chief of staff')) return 'director';
  if (has(t, ...C_LEVEL)) return 'c_level';
  if (has(t, ...VP)) return 'vp';
  if (has(t, 'executive director')) return 'director';
  if (has(t, ...DIRECTOR)) return 'director';
  if (has(t, ...MANAGER)) return 'manager';
  return 'staff';
};

/** Director level or above: the definition of "executive" behind Executive_Engaged__c. */
export const isExecutive = (title: string | null | undefined): boolean => RANK[classifyTitle(title)] >= RANK.director;
