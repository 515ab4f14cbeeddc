import { useEffect, useRef } from 'preact/hooks';

/**
 * Drives a native <dialog> from a boolean: showModal() gives focus trapping, Escape and the inert
 * background for free, which a hand-made overlay would have to reimplement.
 */
export function useModalDialog(open: boolean) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    else if (!open && dialog.open) dialog.close();
  }, [open]);
  return ref;
}
