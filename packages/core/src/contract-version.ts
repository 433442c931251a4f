/**
 * The version of the broker contract this core implements. A plugin stamped with another version
 * is refused by the registry with PluginIncompatibleError. Bumped only on breaking contract changes.
 */
export const CONTRACT_VERSION = 1;
