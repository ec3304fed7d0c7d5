// SafePickle module.
