-- `test.is_nil(x.f)` of a field the record lacks is a presence test.
type E = {id: string}
local test = {is_nil = function(_v: any) end, not_nil = function(_v: any) end}
local function check(e: E)
    test.is_nil(e.definition)
    test.not_nil(e.id)
end
check({id = "a"})
