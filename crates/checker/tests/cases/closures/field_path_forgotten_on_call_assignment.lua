-- Assigning the owner forgets its narrowed fields.
type Cfg = {db: string?}
local function f(cfg: Cfg, other: Cfg): integer
    if cfg.db then
        cfg = other
        return #cfg.db -- expect-warning: E0000 the operand of `#` may be nil
    end
    return 0
end
print(f({}, {}))
