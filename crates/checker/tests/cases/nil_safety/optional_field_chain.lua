-- `cfg.cache.ttl` where `cache?:`.
type Cache = {ttl: integer}
type Config = {name: string, cache: Cache?}

local function ttl(cfg: Config): integer
    return cfg.cache.ttl -- expect-warning: E0023 cannot index `cfg.cache`: it may be nil (`cfg.cache` is optional)
end
print(ttl({name = "x"}))
