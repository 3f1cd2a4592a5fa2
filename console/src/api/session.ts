/** The API token lives in sessionStorage only: gone with the tab, never in a URL or a cookie. */
const KEY = 'datahub.console.token';

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  signIn: (token: string): void => sessionStorage.setItem(KEY, token),
  signOut: (): void => sessionStorage.removeItem(KEY),
};
