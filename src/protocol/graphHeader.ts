// The graph's header names the artifact by the reference the user opened ("oci:/work/app:v1"); the store's
// location beside it only when the reference does not already name that store (it begins with it, then a tag or a
// digest), so a layout's long path or a repository is shown once.

/** The location the header shows beside `reference`: empty when the reference already names the store. */
export function headerLocation(reference: string, location: string): string {
  if (!reference.startsWith(location)) return location;
  return /^([:@]|$)/.test(reference.slice(location.length)) ? '' : location;
}
