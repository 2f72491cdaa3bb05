-- Nested field paths narrow: `cfg.cache.ttl`.
type Cache = {ttl: integer?}
type Cfg = {cache: Cache?}
local function f(cfg: Cfg): integer
    if cfg.cache and cfg.cache.ttl then
        return cfg.cache.ttl + 1
    end
    return 0
end
print(f({}))
