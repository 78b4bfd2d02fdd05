/**
 * The read-only FUSE view of a repository.
 *
 * <p>Entry points: {@link cairn.fs.view.CairnFs} (the view: all snapshots, or one) and
 * {@link cairn.fs.mount.FuseMount} (mounting it, until closed). {@link cairn.fs.mount.Preflight},
 * {@link cairn.fs.mount.MountTable} and {@link cairn.fs.mount.Unmount} serve the {@code mount} and
 * {@code umount} commands. {@link cairn.fs.fuse} is the thin libfuse 2 adapter: byte-exact paths,
 * callbacks that never throw into native code.
 */
package cairn.fs;
