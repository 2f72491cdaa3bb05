-- Methods defined with `:` are called with `:` and their own parameters.
local Stack = {}
Stack.__index = Stack
function Stack.new()
    return setmetatable({ items = {} }, Stack)
end
function Stack:push(v: any)
    table.insert(self.items, v)
end
local s = Stack.new()
s:push(1)
Stack.push(s, 2)
Stack.push(s, 2, 3) -- expect-error: `Stack.push` expects 2 arguments, got 3
