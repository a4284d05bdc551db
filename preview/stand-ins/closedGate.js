// A platform feature gate held closed in the preview. lightning-base-components' open-source build opens every gate;
// the combobox's ElementInternals gate needs native shadow DOM, and the preview (like most orgs) runs synthetic shadow,
// where attachInternals throws and the combobox never renders.
export default { isOpen: () => false };
