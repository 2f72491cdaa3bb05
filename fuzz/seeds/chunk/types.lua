type Point = {x: number, y: number}
type Box<T> = {value: T}
interface Shape
  function area(self): number
end
local function f<T>(a: T, ...: any): (T, error?)
  local p: Point? = nil
  local b = a as Box<string>
  local c = (a :: any)!
  return a, nil
end
local g: fun(x: integer @min(0)): string = nil
local h: {[string]: (number) -> boolean} = {}
return { f = f }
