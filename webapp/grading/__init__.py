"""Pure grading engine: normalize text, extract key points from a reference, grade answers against them."""

from webapp.grading.keypoints import KeyPoint, extract_key_points, key_point
from webapp.grading.normalize import normalize_text
from webapp.grading.scoring import GRADER_VERSION, GradeResult, PointResult, grade

__all__ = ["GRADER_VERSION", "GradeResult", "KeyPoint", "PointResult", "extract_key_points", "grade",
           "key_point", "normalize_text"]
