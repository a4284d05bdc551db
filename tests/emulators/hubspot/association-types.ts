// HUBSPOT_DEFINED association type ids between the objects the emulator serves, from the associations v4 guide's
// "association type id values" tables. Each direction has its own id; a pair lists [from→to, to→from].
// USER_DEFINED labels (contact roles on deals, for example) are created per portal and get ids of their own.

export type AssociationCategory = 'HUBSPOT_DEFINED' | 'USER_DEFINED' | 'INTEGRATOR_DEFINED';

export interface AssociationType {
  category: AssociationCategory;
  typeId: number;
  label: string | null;
  fromType: string;
  toType: string;
  /** The same association seen from the other side. */
  inverseTypeId: number;
  /** Internal name for USER_DEFINED labels. */
  name?: string;
}

// [from, to, unlabeled from→to, unlabeled to→from, primary from→to?, primary to→from?]
const PAIRS: [string, string, number, number, number?, number?][] = [
  ['contacts', 'companies', 279, 280, 1, 2],
  ['deals', 'contacts', 3, 4],
  ['deals', 'companies', 341, 342, 5, 6],
  ['companies', 'companies', 13, 14],
  ['calls', 'contacts', 194, 193], ['calls', 'companies', 182, 181], ['calls', 'deals', 206, 205],
  ['emails', 'contacts', 198, 197], ['emails', 'companies', 186, 185], ['emails', 'deals', 210, 209],
  ['meetings', 'contacts', 200, 199], ['meetings', 'companies', 188, 187], ['meetings', 'deals', 212, 211],
  ['notes', 'contacts', 202, 201], ['notes', 'companies', 190, 189], ['notes', 'deals', 214, 213],
  ['tasks', 'contacts', 204, 203], ['tasks', 'companies', 192, 191], ['tasks', 'deals', 216, 215],
];

/** Every HUBSPOT_DEFINED type, both directions; primary company associations carry the label "Primary". */
export const hubspotDefinedTypes = (): AssociationType[] => {
  const out: AssociationType[] = [];
  for (const [from, to, ab, ba, pab, pba] of PAIRS) {
    out.push({ category: 'HUBSPOT_DEFINED', typeId: ab, label: null, fromType: from, toType: to, inverseTypeId: ba });
    if (from !== to) out.push({ category: 'HUBSPOT_DEFINED', typeId: ba, label: null, fromType: to, toType: from, inverseTypeId: ab });
    if (pab !== undefined && pba !== undefined) {
      out.push({ category: 'HUBSPOT_DEFINED', typeId: pab, label: 'Primary', fromType: from, toType: to, inverseTypeId: pba });
      out.push({ category: 'HUBSPOT_DEFINED', typeId: pba, label: 'Primary', fromType: to, toType: from, inverseTypeId: pab });
    }
  }
  return out;
};

/** The unlabeled (default) type id from one object type to another, or undefined when HubSpot defines none. */
export const defaultTypeId = (types: readonly AssociationType[], from: string, to: string): number | undefined =>
  types.find((t) => t.category === 'HUBSPOT_DEFINED' && t.label === null && t.fromType === from && t.toType === to)?.typeId;
