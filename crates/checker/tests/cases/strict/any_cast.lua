-- mode: strict
-- `e as T` is the programmer's proof.
type Cfg = {name: string}
local data, err = json.decode("{}")
if err then
    return
end
local cfg: Cfg = data as Cfg
print(cfg.name)
