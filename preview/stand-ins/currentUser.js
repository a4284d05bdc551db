// Preview stand-in for @salesforce/user/Id: the person the preview is viewing as. On the platform this is the logged-in
// user; here the header's "Viewing as" picks one (kept for the tab), and `?as=<userId>` in a link picks one too.
export const CURRENT_USER_KEY = 'stagecraft.userId';

function read() {
    const url = new URL(window.location.href);
    const as = url.searchParams.get('as');
    if (as) {
        window.localStorage.setItem(CURRENT_USER_KEY, as);
        url.searchParams.delete('as');
        window.history.replaceState(window.history.state, '', url.toString());
    }
    return window.localStorage.getItem(CURRENT_USER_KEY) || null;
}

const userId = read();
export default userId;
