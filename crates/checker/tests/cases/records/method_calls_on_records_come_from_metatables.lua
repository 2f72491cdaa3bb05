-- A record value's methods usually come from a metatable: `:` calls are not checked.
type Reader = {path: string}
local methods = {}
function methods:read(): string
    return self.path
end
local function open(path: string): Reader
    return setmetatable({ path = path }, { __index = methods }) :: Reader
end
print(open("/tmp"):read())
