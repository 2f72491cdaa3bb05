-- An early return on an optional field narrows the field path.
type Cache = {ttl: integer}
type Config = {name: string, cache: Cache?}

local function ttl(cfg: Config): integer
    if not cfg.cache then
        return 0
    end
    return cfg.cache.ttl
end

local function ttl2(cfg: Config): integer
    if cfg.cache == nil then
        return 0
    end
    return cfg.cache.ttl
end

local function ttl3(cfg: Config): integer
    if cfg.cache then
        return cfg.cache.ttl
    end
    return 0
end
print(ttl({name = "x"}), ttl2({name = "x"}), ttl3({name = "x"}))
