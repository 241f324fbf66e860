namespace ExportFlows.Activities.Storage;

/// <summary>The store refuses writes (read-only file system, permission denied): retrying cannot help, nothing was written.</summary>
public sealed class StoreNotWritableException(string message, Exception inner) : IOException(message, inner);

/// <summary>The store's volume is full (or its quota is used up): nothing was published.</summary>
public sealed class StoreFullException(string message, Exception inner) : IOException(message, inner);

/// <summary>Another writer held an object's lock for the whole wait: a real concurrent writer, worth retrying.</summary>
public sealed class StoreLockedException(string message, Exception inner) : IOException(message, inner);

/// <summary>A path of the store leads outside its root through a symbolic link: nothing was read or written there.</summary>
public sealed class StoreLinkOutsideRootException(string message) : IOException(message);

/// <summary>A folder stands where a file of the store belongs (or a file where a folder does): no retry changes that, nothing was written.</summary>
public sealed class StorePathConflictException(string message) : IOException(message);
