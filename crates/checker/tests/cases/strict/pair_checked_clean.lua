-- mode: strict
-- Checked: clean in strict mode too.
local data, err = json.decode("{}")
if err then
    error(err)
end
print(data.name)
